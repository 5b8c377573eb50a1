# SPDX-License-Identifier: EUPL-1.2
"""The dcat-ap.de political geocoding of an organization, from the official keys the hub's tenant
reconcile writes into its extras (`ags`, `ars`, `kind`, `parents`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckan import model

from ckanext.haldensleben import hierarchy

BASE = "http://dcat-ap.de/def/politicalGeocoding"


@dataclass(frozen=True)
class Area:
    uri: str
    level_uri: str


def area_from_keys(ags: str, ars: str) -> Area | None:
    """dcat-ap.de IRIs for an 8-digit municipality key, a 5-digit district key or the 9-digit
    regional key of a municipal association (Verbandsgemeinde)."""
    if len(ags) == 8 and ags.isdigit():
        return Area(f"{BASE}/municipalityKey/{ags}", f"{BASE}/Level/municipality")
    if len(ags) == 5 and ags.isdigit():
        return Area(f"{BASE}/districtKey/{ags}", f"{BASE}/Level/administrativeDistrict")
    if len(ars) == 9 and ars.isdigit():
        return Area(f"{BASE}/municipalAssociationKey/{ars}", f"{BASE}/Level/municipality")
    if len(ags) == 2 and ags.isdigit():
        return Area(f"{BASE}/stateKey/{ags}", f"{BASE}/Level/state")
    return None


def _own_area(group: model.Group) -> Area | None:
    if not hierarchy.is_managed(group):
        return None
    extras = group.extras or {}
    return area_from_keys(extras.get("ags", ""), extras.get("ars", ""))


def areas_of_organization(org_id: Any, _depth: int = 0) -> list[Area]:
    """The area of an organization by its official key; without one, the areas of its members
    (a network spans its member municipalities), else that of its nearest ancestor with a key
    (a centre lies within its town)."""
    group = hierarchy.group(org_id)
    if group is None or _depth > 5:
        return []
    own = _own_area(group)
    if own is not None:
        return [own]
    members = [a for m in hierarchy.members(group) if (a := _own_area(m)) is not None]
    if members:
        return members
    for parent in hierarchy.parent_names(group):
        found = areas_of_organization(parent, _depth + 1)
        if found:
            return found
    return []
