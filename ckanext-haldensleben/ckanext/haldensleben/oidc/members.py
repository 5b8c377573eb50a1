# SPDX-License-Identifier: EUPL-1.2
"""Find or create the CKAN user of a token, and make their organization roles match it."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from identity.claims import roles_from_claims

log = logging.getLogger(__name__)
EXTRAS_KEY = "haldensleben_oidc"
MANAGED_BY = "regional-data-hub"
# Hub role -> CKAN organization role; the strongest wins when a person holds several.
CKAN_ROLE = {
    "tenant-admin": "admin",
    "region-admin": "admin",
    "editor": "editor",
    "moderator": "member",
    "developer": "member",
    "citizen": "member",
}
STRENGTH = {"member": 1, "editor": 2, "admin": 3}


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _user_by_sub(sub: str) -> model.User | None:
    return (
        model.Session.query(model.User)
        .filter(model.User.plugin_extras[EXTRAS_KEY]["sub"].astext == sub)
        .filter(model.User.state == "active")
        .first()
    )


def _free_name(wanted: str) -> str:
    base = re.sub(r"[^a-z0-9_-]", "-", wanted.lower()).strip("-")[:90] or "person"
    base = base if len(base) >= 2 else f"{base}-x"
    name, number = base, 1
    while model.User.get(name) is not None:
        number += 1
        name = f"{base}-{number}"
    return name


def user_for(claims: dict[str, Any]) -> model.User:
    """The CKAN user of this Keycloak subject, created at first sign-in, kept up to date."""
    user = _user_by_sub(claims["sub"])
    profile = {
        "email": claims.get("email") or f"{claims['sub']}@users.invalid",
        "fullname": " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p),
    }
    if user is None:
        created = tk.get_action("user_create")(
            _site_context(),
            {
                "name": _free_name(claims.get("preferred_username") or claims["sub"]),
                "password": secrets.token_urlsafe(32),  # never used: sign-in is through Keycloak
                "plugin_extras": {EXTRAS_KEY: {"sub": claims["sub"]}},
                **profile,
            },
        )
        user = model.User.get(created["id"])
    elif (user.email, user.fullname) != (profile["email"], profile["fullname"]):
        user.email, user.fullname = profile["email"], profile["fullname"]
        model.Session.commit()
    return user


def sync_organizations(user: model.User, claims: dict[str, Any], prefix: str = "") -> None:
    """Roles in the hub's organizations follow the token; other organizations are left alone."""
    wanted: dict[str, str] = {}
    for slug, role in roles_from_claims(claims).tenant_roles:
        ckan_role = CKAN_ROLE[role]
        org = f"{prefix}{slug}"
        if STRENGTH[ckan_role] > STRENGTH.get(wanted.get(org, ""), 0):
            wanted[org] = ckan_role
    context = _site_context()
    managed, offset = set(), 0
    while True:  # CKAN caps each answer (25 by default): page through all organizations
        page = tk.get_action("organization_list")(
            context, {"all_fields": True, "include_extras": True, "limit": 25, "offset": offset}
        )
        managed |= {
            o["name"]
            for o in page
            if any(
                e.get("key") == "managed_by" and e.get("value") == MANAGED_BY
                for e in o.get("extras") or []
            )
        }
        if len(page) < 25:
            break
        offset += len(page)
    have = {
        o["name"]: o.get("capacity")
        for o in tk.get_action("organization_list_for_user")(
            context, {"id": user.id, "permission": "read", "include_dataset_count": False}
        )
    }
    for org in sorted(managed):
        role = wanted.get(org)
        if role and have.get(org) != role:
            tk.get_action("organization_member_create")(
                context, {"id": org, "username": user.name, "role": role}
            )
        elif not role and org in have:
            tk.get_action("organization_member_delete")(context, {"id": org, "username": user.name})
