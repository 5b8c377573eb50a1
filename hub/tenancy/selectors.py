# SPDX-License-Identifier: EUPL-1.2
"""Reads of the tenancy context: who reaches which tenants, and the public tenant registry."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from hub.tenancy.context import Scope, tenant_context
from hub.tenancy.models import CASCADING_ROLES, Membership, Tenant


def descendants(tenant_ids: Iterable[int]) -> set[int]:
    """The given tenants and every tenant below them, reached through active tenants only."""
    ids = list(tenant_ids)
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE below(id) AS (
                SELECT t.id FROM tenancy_tenant t WHERE t.id = ANY (%s::bigint[]) AND t.is_active
                UNION
                SELECT child.id FROM tenancy_tenant_parents link
                JOIN below ON link.to_tenant_id = below.id
                JOIN tenancy_tenant child ON child.id = link.from_tenant_id AND child.is_active
            )
            SELECT id FROM below
            """,
            [ids],
        )
        return {row[0] for row in cursor.fetchall()}


def roles_of(user) -> dict[int, set[str]]:
    """The user's roles per tenant as granted (before cascading). Reads only the user's own rows."""
    with tenant_context((), user_id=user.pk):
        rows = Membership._base_manager.filter(user_id=user.pk).values_list("tenant_id", "role")
        granted: dict[int, set[str]] = {}
        for tenant_id, role in rows:
            granted.setdefault(tenant_id, set()).add(role)
    return granted


def scope_for_user(user) -> Scope:
    """The tenants whose rows this user may see: memberships, plus children where roles cascade.

    Superusers are the region's operators and see every tenant.
    """
    if not getattr(user, "is_authenticated", False):
        return Scope()
    if user.is_superuser:
        return Scope(system=True, user_id=user.pk)
    granted = roles_of(user)
    direct = set(granted)
    cascading = {tid for tid, roles in granted.items() if roles & CASCADING_ROLES}
    active = set(Tenant.objects.filter(pk__in=direct, is_active=True).values_list("pk", flat=True))
    return Scope(frozenset(active | descendants(cascading)), user_id=user.pk)


def active_tenants():
    return Tenant.objects.filter(is_active=True).prefetch_related("parents", "children")
