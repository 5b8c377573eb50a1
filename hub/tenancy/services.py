# SPDX-License-Identifier: EUPL-1.2
"""Use cases of tenancy: tenant admins manage who holds which role in their tenant.

Keycloak holds the truth (group /tenants/<slug>/<role>, organization membership); the hub's
memberships follow at the person's next sign-in or refresh. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from keycloak import KeycloakAdmin

from hub.accounts.services import STAFF_ROLES
from hub.tenancy.context import system_context
from hub.tenancy.models import Role, Tenant, TenantEvent
from identity.keycloak import admin_client
from identity.realm import TENANTS_GROUP

# Who may hand out which role: nobody grants more than they hold.
GRANTABLE_BY = {
    Role.TENANT_ADMIN: {
        Role.CITIZEN,
        Role.EDITOR,
        Role.MODERATOR,
        Role.DEVELOPER,
        Role.TENANT_ADMIN,
    },
    Role.REGION_ADMIN: set(Role),
}


class MemberError(Exception):
    def __init__(self, reason: str, status: int):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Member:
    username: str
    email: str
    roles: tuple[str, ...]


def _realm() -> KeycloakAdmin:
    return admin_client(settings.HUB_KEYCLOAK["realm"])


def _group_id(admin: KeycloakAdmin, slug: str, role: str) -> str:
    return admin.get_group_by_path(f"/{TENANTS_GROUP}/{slug}/{role}")["id"]


def _user_id(admin: KeycloakAdmin, username: str) -> str:
    user_id = admin.get_user_id(username)
    if user_id is None:
        raise MemberError(f"there is no person {username!r} in the region's realm", 404)
    return user_id


def _organization_id(admin: KeycloakAdmin, slug: str) -> str | None:
    # Keycloak's search matches names, not aliases; a region has a few dozen organizations.
    return next(
        (o["id"] for o in admin.get_organizations({"max": 1000}) if o["alias"] == slug), None
    )


def list_members(tenant: Tenant) -> list[Member]:
    admin = _realm()
    people: dict[str, dict] = {}
    for role in Role:
        for user in admin.get_group_members(_group_id(admin, tenant.slug, role), {"max": 1000}):
            entry = people.setdefault(
                user["username"], {"email": user.get("email", ""), "roles": []}
            )
            entry["roles"].append(role.value)
    return [
        Member(name, p["email"], tuple(sorted(p["roles"]))) for name, p in sorted(people.items())
    ]


def check_grantable(actor_roles: set[str], role: str) -> None:
    role = str(role)  # a Role member prints as its value
    allowed = set().union(*(GRANTABLE_BY.get(r, set()) for r in actor_roles))
    if role not in allowed:
        raise MemberError(f"you may not hand out the role {role!r}", 403)


def grant_role(tenant: Tenant, username: str, role: str, *, actor: str) -> None:
    role = str(role)
    admin = _realm()
    user_id = _user_id(admin, username)
    group = _group_id(admin, tenant.slug, role)
    if any(g["id"] == group for g in admin.get_user_groups(user_id)):
        raise MemberError(f"{username} already is {role} of {tenant.slug}", 409)
    if role in STAFF_ROLES:
        org = _organization_id(admin, tenant.slug)
        member_of = {o["alias"] for o in admin.get_user_organizations(user_id)}
        if org and tenant.slug not in member_of:
            admin.organization_user_add(user_id, org)
    admin.group_user_add(user_id, group)
    _audit(tenant, actor, "member.grant", username, role)


def revoke_role(tenant: Tenant, username: str, role: str, *, actor: str) -> None:
    role = str(role)
    admin = _realm()
    user_id = _user_id(admin, username)
    group = _group_id(admin, tenant.slug, role)
    if not any(g["id"] == group for g in admin.get_user_groups(user_id)):
        raise MemberError(f"{username} is not {role} of {tenant.slug}", 404)
    admin.group_user_remove(user_id, group)
    _audit(tenant, actor, "member.revoke", username, role)


def _audit(tenant: Tenant, actor: str, action: str, username: str, role: str) -> None:
    with system_context():
        TenantEvent.objects.create(
            tenant=tenant, actor=actor, action=action, details={"username": username, "role": role}
        )
