# SPDX-License-Identifier: EUPL-1.2
"""Use cases of tenancy: memberships follow the token's claims; tenant admins manage who holds
which role in their tenant.

Keycloak holds the truth (group /tenants/<slug>/<role>, organization membership); the hub's
memberships follow at the person's next sign-in or refresh (`sync_memberships`, answering
accounts' `claims_received`). Every change a tenant admin makes is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from keycloak import KeycloakAdmin

from hub.core.errors import Conflict, Forbidden, NotFound
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Role, Tenant, TenantEvent
from identity.claims import STAFF_ROLES, ClaimedRoles, roles_from_claims
from identity.keycloak import realm_admin
from identity.realm import TENANTS_GROUP

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Member:
    username: str
    email: str
    roles: tuple[str, ...]


def sync_memberships(user, claimed: ClaimedRoles) -> tuple[int, int]:
    """Make the user's memberships exactly the claimed ones; returns (added, removed)."""
    for reason in claimed.ignored:
        log.warning("user %s: role ignored: %s", user.username, reason)
    with system_context(), transaction.atomic():
        tenants = {t.slug: t for t in Tenant.objects.filter(is_active=True)}
        wanted = {(tenants[s].pk, r) for s, r in claimed.tenant_roles if s in tenants}
        have = {(m.tenant_id, m.role): m for m in Membership.objects.filter(user=user)}
        removed = [m.pk for key, m in have.items() if key not in wanted]
        Membership.objects.filter(pk__in=removed).delete()
        added = [Membership(user=user, tenant_id=t, role=r) for t, r in wanted - set(have)]
        Membership.objects.bulk_create(added)
    return len(added), len(removed)


def on_claims(sender, *, user, claims, **kwargs) -> None:
    """accounts' `claims_received`: the token decides the person's memberships."""
    sync_memberships(user, roles_from_claims(claims))


def _group_id(admin: KeycloakAdmin, slug: str, role: str) -> str:
    return admin.get_group_by_path(f"/{TENANTS_GROUP}/{slug}/{role}")["id"]


def _user_id(admin: KeycloakAdmin, username: str) -> str:
    user_id = admin.get_user_id(username)
    if user_id is None:
        raise NotFound(f"there is no person {username!r} in the region's realm", field="username")
    return user_id


def _organization_id(admin: KeycloakAdmin, slug: str) -> str | None:
    # Keycloak's search matches names, not aliases; a region has a few dozen organizations.
    return next(
        (o["id"] for o in admin.get_organizations({"max": 1000}) if o["alias"] == slug), None
    )


def list_members(tenant: Tenant) -> list[Member]:
    admin = realm_admin()
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
        raise Forbidden(f"you may not hand out the role {role!r}", field="role")


def grant_role(tenant: Tenant, username: str, role: str, *, actor: str) -> None:
    role = str(role)
    admin = realm_admin()
    user_id = _user_id(admin, username)
    group = _group_id(admin, tenant.slug, role)
    if any(g["id"] == group for g in admin.get_user_groups(user_id)):
        raise Conflict(f"{username} already is {role} of {tenant.slug}")
    if role in STAFF_ROLES:
        org = _organization_id(admin, tenant.slug)
        member_of = {o["alias"] for o in admin.get_user_organizations(user_id)}
        if org and tenant.slug not in member_of:
            admin.organization_user_add(user_id, org)
    admin.group_user_add(user_id, group)
    _audit(tenant, actor, "member.grant", username, role)


def revoke_role(tenant: Tenant, username: str, role: str, *, actor: str) -> None:
    role = str(role)
    admin = realm_admin()
    user_id = _user_id(admin, username)
    group = _group_id(admin, tenant.slug, role)
    if not any(g["id"] == group for g in admin.get_user_groups(user_id)):
        raise NotFound(f"{username} is not {role} of {tenant.slug}")
    admin.group_user_remove(user_id, group)
    _audit(tenant, actor, "member.revoke", username, role)


def _audit(tenant: Tenant, actor: str, action: str, username: str, role: str) -> None:
    with system_context():
        TenantEvent.objects.create(
            tenant=tenant, actor=actor, action=action, details={"username": username, "role": role}
        )
