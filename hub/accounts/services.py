# SPDX-License-Identifier: EUPL-1.2
"""Use cases of accounts: map a token's claims onto hub memberships, delete an account."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from hub.accounts.models import User
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Role, Tenant
from identity.realm import ROLES, TENANTS_GROUP

log = logging.getLogger(__name__)

# Staff roles count only for members of the tenant's Keycloak organization: a person put into
# a role group by mistake is not staff until the tenant has them as a member.
STAFF_ROLES = frozenset({Role.EDITOR, Role.MODERATOR, Role.TENANT_ADMIN})


@dataclass(frozen=True)
class ClaimedRoles:
    tenant_roles: frozenset[tuple[str, str]]  # (tenant slug, role)
    organizations: frozenset[str]
    realm_roles: frozenset[str]
    ignored: tuple[str, ...] = ()


def organizations_of(claims: dict) -> frozenset[str]:
    """Keycloak writes `organization` as a list of aliases, or a map alias -> attributes."""
    value = claims.get("organization") or []
    if isinstance(value, dict):
        return frozenset(value)
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(v for v in value if isinstance(v, str))


def roles_from_claims(claims: dict) -> ClaimedRoles:
    organizations = organizations_of(claims)
    pairs, ignored = set(), []
    for path in claims.get("groups") or []:
        parts = str(path).strip("/").split("/")
        if len(parts) != 3 or parts[0] != TENANTS_GROUP or parts[2] not in ROLES:
            continue
        slug, role = parts[1], parts[2]
        if role in STAFF_ROLES and slug not in organizations:
            ignored.append(f"{path}: not a member of organization {slug!r}")
            continue
        pairs.add((slug, role))
    realm_roles = frozenset((claims.get("realm_access") or {}).get("roles") or []) & set(ROLES)
    return ClaimedRoles(frozenset(pairs), organizations, realm_roles, tuple(ignored))


def sync_memberships(user: User, claimed: ClaimedRoles) -> tuple[int, int]:
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
