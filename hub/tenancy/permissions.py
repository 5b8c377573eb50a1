# SPDX-License-Identifier: EUPL-1.2
"""Who may act on a tenant: a role on the tenant itself, or a cascading role on an ancestor.

- `TenantRoles(*roles)` guards API operations (Bearer token plus a role, before the body is read);
- `page_access(read=..., write=...)` guards pages and declares their access (hub.core.access):
  an anonymous visitor is sent to sign in, a signed-in person without the role gets 403;
- role sets ("moderation", ...) are registered by the apps and named, never copied.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from hub.accounts.auth import BearerAuth, Principal
from hub.core import access
from hub.core.errors import Forbidden
from hub.core.registry import registry
from hub.tenancy.models import CASCADING_ROLES, Role, Tenant
from hub.tenancy.selectors import roles_of

# The role sets of the foundation; apps register theirs in AppConfig.ready().
MODERATION = "moderation"
ADMINISTRATION = "administration"
EDITING = "editing"
FOUNDATION_ROLE_SETS = {
    MODERATION: {Role.MODERATOR, Role.TENANT_ADMIN, Role.REGION_ADMIN},
    ADMINISTRATION: {Role.TENANT_ADMIN, Role.REGION_ADMIN},
    EDITING: {Role.EDITOR, Role.TENANT_ADMIN, Role.REGION_ADMIN},
}


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
        self.roles = frozenset(str(r) for r in roles)

    @classmethod
    def of(cls, role_set: str) -> TenantRoles:
        """Guard with a registered role set."""
        return cls(*registry.role_set(role_set))

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        principal = super().authenticate(request, token)
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            raise Forbidden("this endpoint needs a tenant in its path", code="no_tenant")
        if not roles_on(principal, tenant) & self.roles:
            wanted = " or ".join(sorted(self.roles))
            raise Forbidden(
                f"{principal.name or principal.subject} is not {wanted} of {tenant.slug}"
            )
        return principal


def may(user, tenant: Tenant, role_set: str) -> bool:
    """Whether a signed-in person holds a role of the set on the tenant (superusers always)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles_on(user, tenant) & registry.role_set(role_set))


class SignInFirst(Exception):
    """An anonymous visitor asked for a staff page: send them to sign in, then back."""


def check_page(request: HttpRequest, rule: str | None) -> None:
    """Enforce one rule of hub.core.access for a page of the tenant in the path."""
    if rule in (None, access.PUBLIC, access.HOLDER):
        return
    if not request.user.is_authenticated:
        raise SignInFirst
    role_set = access.role_set_of(rule)
    if role_set is not None:
        tenant = getattr(request, "tenant", None)
        if tenant is None or not may(request.user, tenant, role_set):
            raise Forbidden(
                f"{request.user.get_username()} has no role of {role_set} "
                f"on {tenant.slug if tenant else 'this page'}",
                code="role_missing",
            )


def page_access(read: str | None = access.PUBLIC, write: str | None = None, *, holder_param=""):
    """Declare and enforce who may read (GET) and write (POST, ...) through a page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            rule = read if request.method in ("GET", "HEAD") else write
            try:
                check_page(request, rule)
            except SignInFirst:
                return redirect_to_login(
                    request.get_full_path(), reverse("oidc_authentication_init")
                )
            return view(request, *args, **kwargs)

        return access.declare(read, write, holder_param=holder_param)(guarded)

    return decorate
