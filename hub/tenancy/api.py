# SPDX-License-Identifier: EUPL-1.2
"""The public tenant registry over the API: list, detail, and boundaries as GeoJSON."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hub.tenancy.models import Tenant
from hub.tenancy.selectors import active_tenants

router = Router(tags=["tenants"])


class TenantOut(Schema):
    slug: str
    name: str
    display_name: str
    kind: str
    ags: str | None
    ars: str | None
    parents: list[str]
    children: list[str]
    services: list[str]
    contact: dict
    url: str
    boundary_source: str


def _out(tenant: Tenant) -> dict:
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "display_name": tenant.display_name,
        "kind": tenant.kind,
        "ags": tenant.ags,
        "ars": tenant.ars,
        "parents": sorted(p.slug for p in tenant.parents.all() if p.is_active),
        "children": sorted(c.slug for c in tenant.children.all() if c.is_active),
        "services": tenant.services,
        "contact": tenant.contact,
        "url": f"/t/{tenant.slug}/",
        "boundary_source": tenant.boundary_source,
    }


@router.get(
    "/tenants",
    response=list[TenantOut],
    url_name="tenant_list",
    summary="Active tenants of the hub",
)
def list_tenants(request):
    return [_out(t) for t in active_tenants()]


@router.get(
    "/tenants.geojson",
    url_name="tenant_areas",
    summary="Tenant areas as a GeoJSON FeatureCollection",
)
def tenant_areas(request, simplify: float = 0.0005):
    """Boundaries simplified for overview maps (tolerance in degrees, 0 for the full geometry)."""
    tolerance = min(max(simplify, 0.0), 0.05)
    features = []
    for tenant in active_tenants().exclude(boundary=None):
        geom = (
            tenant.boundary.simplify(tolerance, preserve_topology=True)
            if tolerance
            else tenant.boundary
        )
        features.append(
            {
                "type": "Feature",
                "id": tenant.slug,
                "geometry": json.loads(geom.geojson),
                "properties": {
                    "name": tenant.display_name,
                    "kind": tenant.kind,
                    "url": f"/t/{tenant.slug}/",
                    "source": tenant.boundary_source,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@router.get("/t/{slug}", response=TenantOut, url_name="tenant_detail", summary="One tenant")
def tenant_detail(request, slug: str):
    return _out(get_object_or_404(active_tenants(), slug=slug))
