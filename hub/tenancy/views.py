# SPDX-License-Identifier: EUPL-1.2
"""The start page (tenants as a list and on a map) and each tenant's own page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.views.decorators.cache import cache_control

from hub.tenancy.models import Kind
from hub.tenancy.selectors import active_tenants

KIND_ORDER = [Kind.DISTRICT, Kind.NETWORK, Kind.ASSOCIATION, Kind.MUNICIPALITY, Kind.CENTRE]


def _map_config() -> dict:
    leaflet = settings.LEAFLET_CONFIG
    tiles = leaflet["TILES"][0] if leaflet["TILES"] else None
    return {
        "tiles_url": tiles[1] if tiles else "",
        "attribution": tiles[2]["attribution"] if tiles else "",
        "center": leaflet["DEFAULT_CENTER"],
        "zoom": leaflet["DEFAULT_ZOOM"],
    }


def start(request):
    tenants = list(active_tenants())
    groups = [(kind.label, [t for t in tenants if t.kind == kind]) for kind in KIND_ORDER]
    return render(
        request,
        "tenancy/start.html",
        {
            "groups": [(label, members) for label, members in groups if members],
            "tenant_count": len(tenants),
            "map": _map_config(),
        },
    )


def tenant_home(request, slug: str):
    tenant = request.tenant  # resolved (and checked to be active) by TenantMiddleware
    area_km2 = None
    if tenant.boundary is not None:
        # ETRS89 / UTM 32N: an equal-distance metric projection for Germany.
        area_km2 = tenant.boundary.transform(25832, clone=True).area / 1_000_000
    return render(
        request,
        "tenancy/tenant.html",
        {
            "tenant": tenant,
            "parents": [p for p in tenant.parents.all() if p.is_active],
            "children": [c for c in tenant.children.all() if c.is_active],
            "area_km2": area_km2,
            "map": _map_config(),
            "ogc": _ogc_services(tenant),
        },
    )


def _ogc_services(tenant) -> dict | None:
    """The tenant's OGC services (one per tenant with an area) and their layers."""
    if tenant.boundary is None:
        return None
    from hub.geo.publishers import ogc_resources
    from hub.registry import registry

    layers = [
        {
            "name": layer.name,
            "title": layer.title,
            "resources": ogc_resources(tenant.slug, layer.name),
        }
        for layer in registry.ogc_layers
    ]
    wms = layers[0]["resources"][0].url.split("SERVICE=")[0] if layers else ""
    return {"wms": wms, "layers": layers}


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
