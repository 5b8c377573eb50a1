# SPDX-License-Identifier: EUPL-1.2
"""The portal shell: the start page (the region's services and tenants), each tenant's page
(its services first), the search on every page, and the signed-in person's own page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from keycloak.exceptions import KeycloakError

from hub.accounts import clients
from hub.core.access import PUBLIC, SIGNED_IN, declare, public
from hub.portal import services as portal
from hub.tenancy.context import system_context
from hub.tenancy.models import Kind, Membership
from hub.tenancy.selectors import active_tenants
from identity.keycloak import realm_admin

log = logging.getLogger(__name__)
KIND_ORDER = [Kind.DISTRICT, Kind.NETWORK, Kind.ASSOCIATION, Kind.MUNICIPALITY, Kind.CENTRE]


@public
def start(request):
    tenants = list(active_tenants())
    groups = [(kind.label, [t for t in tenants if t.kind == kind]) for kind in KIND_ORDER]
    return render(
        request,
        "portal/start.html",
        {
            "groups": [(label, members) for label, members in groups if members],
            "tenant_count": len(tenants),
            "region_services": portal.region_services(),
            "map": portal.map_config(),
        },
    )


@public
def tenant_home(request, slug: str):
    tenant = request.tenant  # resolved (and checked to be active) by TenantMiddleware
    area_km2 = None
    if tenant.boundary is not None:
        # ETRS89 / UTM 32N: an equal-distance metric projection for Germany.
        area_km2 = tenant.boundary.transform(25832, clone=True).area / 1_000_000
    return render(
        request,
        "portal/tenant.html",
        {
            "tenant": tenant,
            "parents": [p for p in tenant.parents.all() if p.is_active],
            "children": [c for c in tenant.children.all() if c.is_active],
            "area_km2": area_km2,
            "services": portal.tenant_services(tenant),
            "map": portal.map_config(tenant),
            "ogc": portal.ogc_services(tenant),
        },
    )


# Emblem colours per kind: white text on each has a contrast ratio above 7:1 (WCAG AAA).
EMBLEM_COLOURS = {
    Kind.DISTRICT: "#1d4e2f",
    Kind.NETWORK: "#1f3f6e",
    Kind.ASSOCIATION: "#4a2f63",
    Kind.MUNICIPALITY: "#7a2323",
    Kind.CENTRE: "#3d3d3d",
}


def initials(name: str) -> str:
    """Up to three initials of the significant words: "Stadt Haldensleben" → "SH"."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:3]) or "?"


@public
@cache_control(max_age=3600, public=True)
def tenant_emblem(request, slug: str):
    """An emblem drawn from the tenant's name, used where no logo of its own is configured."""
    tenant = get_object_or_404(active_tenants(), slug=slug)
    label = escape(tenant.display_name)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" '
        f'aria-label="{label}"><title>{label}</title>'
        f'<rect width="200" height="200" rx="24" fill="{EMBLEM_COLOURS.get(tenant.kind, "#333")}"/>'
        '<text x="100" y="118" font-family="sans-serif" font-size="64" font-weight="bold" '
        f'fill="#fff" text-anchor="middle">{escape(initials(tenant.display_name))}</text></svg>'
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@declare(PUBLIC)
def search(request):
    """The search box of every page: each registered provider's hits, grouped by kind."""
    query = portal.clean_query(request.GET.get("q", ""))
    groups = portal.search(query, request) if query else []
    return render(
        request,
        "portal/search.html",
        {"query": query, "groups": groups, "hits": sum(len(g[1]) for g in groups)},
    )


# -- the signed-in person's own page ---------------------------------------------------------


@declare(SIGNED_IN)
@login_required
def account(request):
    with system_context():
        memberships = list(
            Membership.objects.filter(user=request.user)
            .select_related("tenant")
            .order_by("tenant__name", "role")
        )
    return render(request, "portal/account.html", {"memberships": memberships})


@declare(None, SIGNED_IN)
@login_required
@require_POST
def delete_account(request):
    """Delete the person from Keycloak and the hub (GDPR Art. 17). Staff are asked to let their
    tenant remove them, so that no tenant loses its last administrator by accident."""
    user = request.user
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie das Löschen mit dem Häkchen."))
        return redirect("portal:account")
    with system_context():
        if Membership.objects.filter(user=user).exclude(role="citizen").exists():
            messages.error(
                request,
                _(
                    "Ihr Konto hat Aufgaben in einem Mandanten. Bitte lassen Sie sich dort erst "
                    "austragen; danach können Sie es selbst löschen."
                ),
            )
            return redirect("portal:account")
    unavailable = _("Das Löschen ist gerade nicht möglich. Bitte versuchen Sie es später erneut.")
    try:
        # The person's API clients go with them: disabled in Keycloak, not just forgotten here.
        for client in user.api_clients.filter(revoked_at=None):
            clients.revoke_client(client)
    except KeycloakError as exc:
        log.error("revoking the API clients of %s failed: %s", user.username, exc)
        messages.error(request, unavailable)
        return redirect("portal:account")
    if user.keycloak_sub:
        try:
            realm_admin().delete_user(user.keycloak_sub)
        except KeycloakError as exc:
            if getattr(exc, "response_code", None) != 404:
                log.error("deleting %s in Keycloak failed: %s", user.keycloak_sub, exc)
                messages.error(request, unavailable)
                return redirect("portal:account")
    logout(request)
    with system_context():
        user.delete()
    messages.success(request, _("Ihr Konto und Ihre Daten wurden gelöscht."))
    return redirect("/")
