# SPDX-License-Identifier: EUPL-1.2
"""Use cases of accounts: map a token's claims onto hub memberships, delete an account."""

from __future__ import annotations

import logging

from django.db import transaction

from hub.accounts.models import User
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Tenant
from identity.claims import STAFF_ROLES, ClaimedRoles, organizations_of, roles_from_claims

__all__ = [
    "STAFF_ROLES",
    "ClaimedRoles",
    "organizations_of",
    "roles_from_claims",
    "sync_memberships",
]

log = logging.getLogger(__name__)


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
