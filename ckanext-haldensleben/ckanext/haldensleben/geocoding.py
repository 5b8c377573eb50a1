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


def _group(org_id: Any) -> model.Group | None:
    return model.Group.get(str(org_id)) if org_id else None


def _own_area(group: model.Group) -> Area | None:
    extras = group.extras or {}
    return area_from_keys(extras.get("ags", ""), extras.get("ars", ""))


def _members(group: model.Group) -> list[model.Group]:
    """Organizations that name this one as a parent (the members of a network)."""
    rows = (
        model.Session.query(model.Group)
        .filter(model.Group.state == "active", model.Group.is_organization.is_(True))
        # CKAN 2.12 keeps a group's extras in one JSONB column.
        .filter(model.Group.extras["parents"].astext.contains(group.name))
        .order_by(model.Group.name)
    )
    return [g for g in rows if group.name in (g.extras.get("parents") or "").split(",")]


def areas_of_organization(org_id: Any, _depth: int = 0) -> list[Area]:
    """The area of an organization by its official key; without one, the areas of its members
    (a network spans its member municipalities), else that of its nearest ancestor with a key
    (a centre lies within its town)."""
    group = _group(org_id)
    if group is None or _depth > 5:
        return []
    own = _own_area(group)
    if own is not None:
        return [own]
    members = [a for m in _members(group) if (a := _own_area(m)) is not None]
    if members:
        return members
    for parent in filter(None, (group.extras.get("parents") or "").split(",")):
        found = areas_of_organization(parent.strip(), _depth + 1)
        if found:
            return found
    return []
