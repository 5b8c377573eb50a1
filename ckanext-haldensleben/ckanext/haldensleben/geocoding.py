# SPDX-License-Identifier: EUPL-1.2
"""The dcat-ap.de political geocoding of an organization, from the official keys the hub's tenant
reconcile writes into its extras (`ags`, `ars`, `kind`, `parents`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckan import model

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


def area_of_organization(org_id: Any, _depth: int = 0) -> Area | None:
    """The area of an organization, or of its nearest ancestor that has an official key."""
    if not org_id or _depth > 5:
        return None
    group = model.Group.get(str(org_id))
    if group is None:
        return None
    extras = group.extras or {}
    area = area_from_keys(extras.get("ags", ""), extras.get("ars", ""))
    if area is not None:
        return area
    for parent in filter(None, (extras.get("parents") or "").split(",")):
        area = area_of_organization(parent.strip(), _depth + 1)
        if area is not None:
            return area
    return None
