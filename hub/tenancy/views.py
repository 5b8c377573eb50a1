# SPDX-License-Identifier: EUPL-1.2
"""The start page (tenants as a list and on a map) and each tenant's own page."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

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
        },
    )
