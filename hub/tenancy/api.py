# SPDX-License-Identifier: EUPL-1.2
"""The public tenant registry over the API: list, detail, and boundaries as GeoJSON."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from hub.tenancy import services
from hub.tenancy.models import Role, Tenant
from hub.tenancy.permissions import TenantRoles, roles_on
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


@router.get(
    "/t/{slug}/boundary.geojson",
    url_name="tenant_boundary",
    summary="The tenant's area as GeoJSON (full resolution), with its source",
)
def tenant_boundary(request, slug: str):
    tenant = get_object_or_404(active_tenants().exclude(boundary=None), slug=slug)
    return {
        "type": "Feature",
        "id": tenant.slug,
        "geometry": json.loads(tenant.boundary.geojson),
        "properties": {
            "name": tenant.name,
            "kind": tenant.kind,
            "ags": tenant.ags,
            "ars": tenant.ars,
            "source": tenant.boundary_source,
        },
    }


@router.get("/t/{slug}", response=TenantOut, url_name="tenant_detail", summary="One tenant")
def tenant_detail(request, slug: str):
    return _out(get_object_or_404(active_tenants(), slug=slug))


# -- members: tenant admins manage the roles of their tenant (and region admins those below) --

ADMINS = TenantRoles(Role.TENANT_ADMIN, Role.REGION_ADMIN)


class MemberOut(Schema):
    username: str
    email: str
    roles: list[str]


class GrantIn(Schema):
    username: str = Field(min_length=1, max_length=255, pattern=r"^[\w.@+-]+$")
    role: Role


def _actor(request) -> str:
    return f"api:{request.auth.name or request.auth.subject}"


@router.get(
    "/t/{slug}/members",
    response=list[MemberOut],
    auth=ADMINS,
    url_name="members",
    summary="People with a role in the tenant",
)
def list_tenant_members(request, slug: str):
    return [
        {"username": m.username, "email": m.email, "roles": list(m.roles)}
        for m in services.list_members(request.tenant)
    ]


@router.post(
    "/t/{slug}/members",
    response={201: MemberOut},
    auth=ADMINS,
    url_name="grant",
    summary="Give a person of the region's realm a role in the tenant",
)
def grant(request, slug: str, body: GrantIn):
    services.check_grantable(roles_on(request.auth, request.tenant), body.role)
    services.grant_role(request.tenant, body.username, body.role, actor=_actor(request))
    return Status(201, {"username": body.username, "email": "", "roles": [body.role]})


@router.delete(
    "/t/{slug}/members/{username}/{role}",
    response={204: None},
    auth=ADMINS,
    url_name="revoke",
    summary="Take a role in the tenant away from a person",
)
def revoke(request, slug: str, username: str, role: Role):
    services.check_grantable(roles_on(request.auth, request.tenant), role)
    services.revoke_role(request.tenant, username, role, actor=_actor(request))
    return Status(204, None)
