# SPDX-License-Identifier: EUPL-1.2
"""The region's hierarchy between organizations (districts and networks above their members),
as the hub's tenant reconcile writes it: a comma-separated `parents` extra of organization names.
CKAN has no organization hierarchy of its own; this is the extension's grouping (no
ckanext-hierarchy needed)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

MANAGED_BY = "regional-data-hub"
# Extras only the hub (a sysadmin) writes; organization admins cannot change them (actions.py).
PROTECTED_EXTRAS = ("managed_by", "kind", "ags", "ars", "parents", "hub_url")


def group(org_id: Any) -> model.Group | None:
    return model.Group.get(str(org_id)) if org_id else None


def is_managed(org: model.Group) -> bool:
    return (org.extras or {}).get("managed_by") == MANAGED_BY


def parent_names(org: model.Group) -> list[str]:
    """The parents the hub wrote; an organization the hub does not manage has none."""
    if not is_managed(org):
        return []
    return [p.strip() for p in (org.extras or {}).get("parents", "").split(",") if p.strip()]


def parents(org: model.Group) -> list[model.Group]:
    found = (group(name) for name in parent_names(org))
    return [g for g in found if g is not None and g.state == "active" and is_managed(g)]


def members(org: model.Group) -> list[model.Group]:
    """Active organizations that name this one as a parent."""
    rows = (
        model.Session.query(model.Group)
        .filter(model.Group.state == "active", model.Group.is_organization.is_(True))
        # CKAN 2.12 keeps a group's extras in one JSONB column.
        .filter(model.Group.extras["parents"].astext.contains(org.name))
        .order_by(model.Group.title)
    )
    return [g for g in rows if org.name in parent_names(g)] if is_managed(org) else []


def _link(org: model.Group) -> dict[str, str]:
    return {"name": org.name, "title": org.title or org.name}


def template_parents(org_dict: dict[str, Any]) -> list[dict[str, str]]:
    org = group(org_dict.get("id") or org_dict.get("name"))
    return [_link(p) for p in parents(org)] if org else []


def template_members(org_dict: dict[str, Any]) -> list[dict[str, str]]:
    org = group(org_dict.get("id") or org_dict.get("name"))
    return [_link(m) for m in members(org)] if org else []


def hub_url(org: model.Group | None) -> str:
    """The tenant's page in the hub, only if it lies under the configured hub URL."""
    if org is None or not is_managed(org):
        return ""
    url = (org.extras or {}).get("hub_url", "")
    base = tk.config.get("ckanext.haldensleben.hub_url").rstrip("/") + "/"
    return url if url.startswith(base) else ""


def template_hub_url(org_dict: dict[str, Any]) -> str:
    return hub_url(group(org_dict.get("id") or org_dict.get("name")))
