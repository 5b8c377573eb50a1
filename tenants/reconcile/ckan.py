# SPDX-License-Identifier: EUPL-1.2
"""Reconcile the tenant files with CKAN: one organization per tenant, through the Action API.

The organization is named after the tenant's slug and carries the tenant's official key, kind
and parents as extras (the hierarchy: districts and networks above their members). A tenant
whose file is gone gets its organization hidden (state "deleted"); its datasets are kept.
Only organizations this hub manages (extra `managed_by`) are ever hidden.
"""

from __future__ import annotations

from typing import Any

from ckanapi.errors import NotFound
from django.conf import settings

from connectors.ckan import Catalogue, CkanUnavailable, client
from tenants.reconcile.base import Change, Diff, FieldChange
from tenants.spec import DesiredTenant

MANAGED_BY = "regional-data-hub"
EXTRA_KEYS = ("managed_by", "kind", "ags", "ars", "parents", "hub_url")


__all__ = ["CkanTarget", "CkanUnavailable"]


def all_organizations(ckan: Catalogue) -> list[dict[str, Any]]:
    """Every organization with its extras: CKAN caps each answer (25 by default), so page."""
    orgs, offset = [], 0
    while True:
        page = ckan.call(
            "organization_list", all_fields=True, include_extras=True, limit=25, offset=offset
        )
        orgs += page
        if len(page) < 25:
            return orgs
        offset += len(page)


def _extras(org: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in org.get("extras") or [] if e.get("key") in EXTRA_KEYS}


class CkanTarget:
    name = "ckan"

    def __init__(self, catalogue: Catalogue | None = None):
        self._client = catalogue

    @property
    def client(self) -> Catalogue:
        if self._client is None:
            self._client = client("reconcile")
        return self._client

    def org_name(self, slug: str) -> str:
        return f"{settings.HUB_CKAN_ORG_PREFIX}{slug}"

    def _desired(self, tenant: DesiredTenant) -> dict[str, Any]:
        spec = tenant.spec
        return {
            "name": self.org_name(spec.slug),
            "title": spec.short_name or spec.name,
            "description": spec.name,
            "image_url": str(spec.logo)
            if spec.logo
            else f"{settings.HUB_PUBLIC_URL}/t/{spec.slug}/emblem.svg",
            "state": "active",
            "extras": {
                "managed_by": MANAGED_BY,
                "kind": spec.kind.value,
                "ags": spec.ags or "",
                "ars": spec.ars or "",
                "parents": ",".join(self.org_name(p) for p in sorted(spec.parents)),
                "hub_url": f"{settings.HUB_PUBLIC_URL}/t/{spec.slug}/",
            },
        }

    def _current(self) -> dict[str, dict[str, Any]]:
        # Active organizations only; a hidden one is looked up by name when needed.
        orgs = all_organizations(self.client)
        return {o["name"]: o for o in orgs}

    def _show(self, name: str) -> dict[str, Any] | None:
        try:
            return self.client.call(
                "organization_show", id=name, include_extras=True, include_datasets=False
            )
        except NotFound:
            return None

    def plan(self, desired: list[DesiredTenant]) -> Diff:
        current = self._current()
        wanted = {self.org_name(t.spec.slug): self._desired(t) for t in desired}
        diff = Diff(desired={"ckan": wanted})
        for name, org in sorted(wanted.items()):
            have = current.get(name) or self._show(name)  # a hidden one is not listed
            if have is None:
                diff.changes.append(Change("ckan", "create", f"organization {name}"))
                continue
            fields = [
                FieldChange(key, have.get(key), org[key])
                for key in ("title", "description", "image_url", "state")
                if have.get(key) != org[key]
            ]
            extras = _extras(have)
            fields += [
                FieldChange(f"extras.{key}", extras.get(key), value)
                for key, value in org["extras"].items()
                if extras.get(key, "") != value
            ]
            if fields:
                action = "reactivate" if have.get("state") != "active" else "update"
                diff.changes.append(Change("ckan", action, f"organization {name}", tuple(fields)))
        prefix = settings.HUB_CKAN_ORG_PREFIX
        for name, have in sorted(current.items()):
            managed = _extras(have).get("managed_by") == MANAGED_BY
            if (
                name not in wanted
                and managed
                and name.startswith(prefix)
                and (have.get("state") == "active")
            ):
                diff.changes.append(
                    Change(
                        "ckan",
                        "deactivate",
                        f"organization {name}",
                        (FieldChange("state", "active", "deleted"),),
                    )
                )
        return diff

    def apply(self, diff: Diff, *, actor: str) -> None:
        wanted = diff.desired["ckan"]
        for change in diff.changes:
            name = change.slug.partition(" ")[2]
            if change.action == "deactivate":
                # Hidden, not purged: the organization's datasets stay where they are.
                self.client.call("organization_patch", id=name, state="deleted")
                continue
            org = wanted[name]
            payload = {**org, "extras": [{"key": k, "value": v} for k, v in org["extras"].items()]}
            if change.action == "create":
                self.client.call("organization_create", **payload)
            else:
                self.client.call("organization_patch", id=name, **payload)
