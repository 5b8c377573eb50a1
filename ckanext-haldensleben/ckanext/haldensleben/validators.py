# SPDX-License-Identifier: EUPL-1.2
"""Validators of the DCAT-AP.de dataset schema (schemas/dcatap_de.yaml)."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.exceptions import CkanConfigurationException

from ckanext.haldensleben import geocoding

Invalid = tk.Invalid
missing = tk.missing


def haldensleben_known_licence(value: Any, context: dict[str, Any]) -> Any:
    """Only licences of the dcat-ap.de list (CKAN's licence register) are accepted."""
    if value in (None, "", missing):
        return value
    register = model.Package.get_license_register()
    if value not in register:
        raise Invalid(
            tk._(
                "Unknown licence '{licence}'. Use one of the dcat-ap.de licence list, "
                "e.g. dl-by-de/2.0 or dl-zero-de/2.0 (see /api/3/action/license_list)."
            ).format(licence=str(value)[:100])
        )
    return value


# An http(s) IRI as RDF serialisers accept it: none of the characters RFC 3987 excludes.
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")


def is_http_iri(value: Any) -> bool:
    text = str(value)
    return len(text) <= 2000 and IRI.fullmatch(text) is not None


def haldensleben_http_url(value: Any, context: dict[str, Any]) -> Any:
    """A web address: http(s) and nothing else (no javascript:, no file:, nothing an RDF
    serialiser would refuse, so one dataset cannot break the catalogue)."""
    if value in (None, "", missing):
        return value
    if not is_http_iri(value):
        raise Invalid(tk._("Please give a web address starting with https:// or http://."))
    return str(value)


def haldensleben_political_geocoding(
    key: tuple, data: dict[tuple, Any], errors: dict[tuple, list], context: dict[str, Any]
) -> None:
    """Derive dcatde:politicalGeocodingLevelURI and the area IRIs (dct:spatial) from the
    organization's official key (geocoding.py), at every write, so that a move to another
    organization or a changed key never leaves a stale area. Only a sysadmin may set the
    values by hand. The level is one IRI, the areas a list (a network spans several)."""
    value = data.get(key)
    if value not in (None, "", [], missing) and authz.is_sysadmin(context.get("user")):
        for item in value if isinstance(value, list) else [value]:
            haldensleben_http_url(item, context)
        return
    org = data.get(("owner_org",))
    cache = context.setdefault("haldensleben_areas", {})
    if org not in cache:  # one lookup per organization and request, not one per field
        cache[org] = geocoding.areas_of_organization(org)
    areas = cache[org]
    if not areas:
        data[key] = missing
    elif key[-1] == "political_geocoding_level_uri":
        data[key] = areas[0].level_uri
    else:
        data[key] = [a.uri for a in areas]


CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"


def haldensleben_contributor_id(value: Any, context: dict[str, Any]) -> Any:
    """dcatde:contributorID: IRIs a dataset names itself (a sysadmin's business; kept outside
    the dcat-ap.de list only). The catalogue's own GovData ID is not stored with the dataset:
    the DCAT profile writes `ckanext.haldensleben.contributor_id` at every export, so that a
    changed ID never leaves stale ones behind (Konvention K13: exactly one of the list)."""
    if value in (None, "", [], missing):
        return missing
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not is_http_iri(item):
            raise Invalid(tk._("Please give a web address starting with https:// or http://."))
    return items


def check_contributor_id(value: Any) -> None:
    """The configured GovData contributor ID must be an IRI of the dcat-ap.de contributor list.
    (A missing one is reported by CKAN itself: the option is declared required.)"""
    text = str(value or "").strip()
    if text and not (
        text.startswith(CONTRIBUTORS) and len(text) > len(CONTRIBUTORS) and is_http_iri(text)
    ):
        raise CkanConfigurationException(
            "ckanext.haldensleben.contributor_id: expected an IRI of GovData's contributor "
            f"list, {CONTRIBUTORS}<contributorID>, not {text[:200]!r}"
        )


def get_validators() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            haldensleben_known_licence,
            haldensleben_http_url,
            haldensleben_political_geocoding,
            haldensleben_contributor_id,
        )
    }
