# SPDX-License-Identifier: EUPL-1.2
"""Publish the registered public data sets to CKAN, idempotently, and withdraw the rest.

A CKAN dataset belongs to the bridge when it carries the extra `hub_identifier`; it is found by
that identifier, created or patched only when its content differs, and deleted (withdrawn, not
purged) when the hub no longer lists the data set.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ckanapi.errors import NotFound, ValidationError
from django.conf import settings

from connectors.ckan import Catalogue, client
from hub.core.registry import PublicDataset, registry

log = logging.getLogger(__name__)
MANAGED = "hub_identifier"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    # Data sets CKAN refused (its validation message): the others are published all the same.
    refused: dict[str, str] = field(default_factory=dict)


def ckan() -> Catalogue:
    return client("catalog")


def dataset_name(dataset: PublicDataset) -> str:
    """CKAN's name of a data set: stable, lower case, at most 100 characters."""
    raw = f"{settings.HUB_CKAN_ORG_PREFIX}{dataset.tenant}-{dataset.identifier}".lower()
    return re.sub(r"[^a-z0-9_-]+", "-", raw).strip("-")[:100]


def payload(dataset: PublicDataset) -> dict[str, Any]:
    return {
        "name": dataset_name(dataset),
        "title": dataset.title,
        "notes": dataset.notes,
        "owner_org": f"{settings.HUB_CKAN_ORG_PREFIX}{dataset.tenant}",
        "license_id": dataset.license_id,
        "private": False,
        "tags": [{"name": t} for t in dataset.tags],
        "theme": sorted(f"{THEME}{code}" for code in dataset.themes),
        "attribution": dataset.attribution,
        # A field of the DCAT-AP.de schema (ckanext-haldensleben), stored by CKAN as an extra.
        MANAGED: dataset.identifier,
        "resources": [
            {"name": r.name, "url": r.url, "format": r.format, "description": r.description}
            for r in dataset.resources
        ],
    }


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    simple = ("title", "notes", "owner_org", "license_id", "private", MANAGED)
    if (current.get("attribution") or "") != wanted["attribution"]:
        return True
    if any(current.get(k) != wanted[k] for k in simple):
        return True
    if sorted(current.get("theme") or []) != wanted["theme"]:
        return True
    if sorted(t["name"] for t in current.get("tags", [])) != sorted(
        t["name"] for t in wanted["tags"]
    ):
        return True
    fields = ("name", "url", "format", "description")
    have = [tuple(r.get(f) or "" for f in fields) for r in current.get("resources", [])]
    want = [tuple(r[f] for f in fields) for r in wanted["resources"]]
    return have != want or current.get("state") != "active"


def _managed(catalogue: Catalogue, page: int = 100) -> list:
    """Every dataset the bridge manages, paged (CKAN caps a page at ckan.search.rows_max)."""
    found: list = []
    while True:
        batch = catalogue.call(
            "package_search",
            fq=f"{MANAGED}:*",
            rows=page,
            start=len(found),
            include_private=True,
            fl="name",
            sort="name asc",
        )["results"]
        found += batch
        if len(batch) < page:
            return found


def publish(datasets: list[PublicDataset] | None = None) -> Report:
    """Make CKAN hold exactly the hub's public data sets (under the configured prefix)."""
    datasets = registry.all_public_datasets() if datasets is None else datasets
    catalogue, report = ckan(), Report()
    wanted = {dataset_name(d): payload(d) for d in datasets}
    for name, body in sorted(wanted.items()):
        try:
            current = catalogue.call("package_show", id=name)
        except NotFound:
            current = None
        try:
            if current is None:
                catalogue.call("package_create", **body)
                report.created.append(name)
            elif _differs(
                {**current, "owner_org": current.get("organization", {}).get("name")}, body
            ):
                catalogue.call("package_update", **{**body, "id": current["id"], "state": "active"})
                report.updated.append(name)
            else:
                report.unchanged.append(name)
        except ValidationError as exc:
            log.error("catalog: CKAN refused %s: %s", name, exc.error_dict)
            report.refused[name] = str(exc.error_dict)
    for item in _managed(catalogue):
        name = item["name"] if isinstance(item, dict) else item
        if name not in wanted and name.startswith(settings.HUB_CKAN_ORG_PREFIX):
            catalogue.call("package_delete", id=name)
            report.withdrawn.append(name)
    log.info(
        "catalog: %d created, %d updated, %d unchanged, %d withdrawn",
        len(report.created),
        len(report.updated),
        len(report.unchanged),
        len(report.withdrawn),
    )
    return report
