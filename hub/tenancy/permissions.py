# SPDX-License-Identifier: EUPL-1.2
"""Who may act on a tenant: a role on the tenant itself, or a cascading role on an ancestor."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from hub.accounts.auth import BearerAuth, Principal
from hub.tenancy.models import CASCADING_ROLES, Tenant
from hub.tenancy.selectors import roles_of


class Forbidden(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def ancestors(tenant: Tenant) -> list[str]:
    """Slugs of the active tenants above this one, reached through active tenants only
    (as selectors.descendants walks down)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE above(id) AS (
                SELECT parent.id FROM tenancy_tenant_parents link
                JOIN tenancy_tenant parent ON parent.id = link.to_tenant_id AND parent.is_active
                WHERE link.from_tenant_id = %s
                UNION
                SELECT parent.id FROM tenancy_tenant_parents link
                JOIN above ON link.from_tenant_id = above.id
                JOIN tenancy_tenant parent ON parent.id = link.to_tenant_id AND parent.is_active
            )
            SELECT t.slug FROM above JOIN tenancy_tenant t ON t.id = above.id
            """,
            [tenant.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def effective_roles(granted: dict[str, set[str]], tenant: Tenant) -> set[str]:
    """Roles on the tenant from roles granted per tenant slug: its own, plus the cascading
    roles held on an (active) ancestor."""
    above = set(ancestors(tenant))
    inherited = {
        role
        for slug, roles in granted.items()
        if slug in above
        for role in roles
        if role in CASCADING_ROLES
    }
    return set(granted.get(tenant.slug, set())) | inherited


def roles_on(principal: Principal, tenant: Tenant) -> set[str]:
    """The principal's effective roles on the tenant, inherited ones included."""
    granted: dict[str, set[str]] = {}
    for slug, role in principal.tenant_roles:
        granted.setdefault(slug, set()).add(role)
    return effective_roles(granted, tenant)


def user_roles_on(user, tenant: Tenant) -> set[str]:
    """The same for a signed-in person of the web pages, from their memberships."""
    by_id = roles_of(user)
    slugs = dict(Tenant.objects.filter(pk__in=by_id).values_list("pk", "slug"))
    return effective_roles({slugs[pk]: roles for pk, roles in by_id.items()}, tenant)


class TenantRoles(BearerAuth):
    """Bearer authentication plus one of `roles` on the tenant named in the path.

    Ninja runs authentication before it reads the request body, so a caller without the role
    is refused with 403 before anything it sent is even parsed.
    """

    def __init__(self, *roles: str):
        super().__init__()
        self.roles = frozenset(roles)

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        principal = super().authenticate(request, token)
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            raise Forbidden("this endpoint needs a tenant in its path")
        if not roles_on(principal, tenant) & self.roles:
            wanted = " or ".join(sorted(self.roles))
            raise Forbidden(
                f"{principal.name or principal.subject} is not {wanted} of {tenant.slug}"
            )
        return principal


def forbidden_response(request: HttpRequest, exc: Forbidden) -> JsonResponse:
    return JsonResponse({"detail": exc.reason}, status=403)
