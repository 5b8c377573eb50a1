# SPDX-License-Identifier: EUPL-1.2
"""The chargers as open data: GeoJSON with live status for maps, and DATEX II v3 (Energy
Infrastructure) for the national access point (AFIR). The register is CC BY 4.0,
Bundesnetzagentur; the status is what the operators send over OCPI."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from hub.charging import datex, selectors
from hub.core.errors import NotFound
from hub.core.exports import geojson_response, point_feature
from hub.tenancy.selectors import active_tenants

router = Router(tags=["charging"])
ATTRIBUTION = "Ladesäulenregister der Bundesnetzagentur (CC BY 4.0); Live-Status: die Betreiber"
KINDS = {"table": "the static table", "status": "the status"}


def feature(item: selectors.Shown) -> dict:
    s, live = item.station, item.live
    return point_feature(
        f"bnetza-{s.key}",
        s.point.x,
        s.point.y,
        {
            "operator": s.operator,
            "address": s.address,
            "postcode": s.postcode,
            "city": s.city,
            "kind": s.kind,
            "power_kw": float(s.power_kw),
            "commissioned": s.commissioned.isoformat() if s.commissioned else None,
            "charge_points": [
                {
                    "position": p.position,
                    "plugs": p.plugs,
                    "power_kw": float(p.power_kw) if p.power_kw is not None else None,
                }
                for p in s.points.all()
            ],
            "status": live.summary,  # free | busy | out | unknown
            "status_counts": live.counts,
            "status_as_of": live.as_of.isoformat() if live.as_of else None,
            "status_unknown_since": live.unknown_since.isoformat() if live.unknown_since else None,
        },
    )


@router.get(
    "/t/{slug}/laden/ladesaeulen.geojson",
    url_name="charging_geojson",
    summary="The chargers inside the tenant's area with their live status (GeoJSON, EPSG:4326)",
)
def stations_geojson(request, slug: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    return geojson_response(
        [feature(item) for item in selectors.shown(tenant)],
        name=f"Ladesäulen: {tenant.display_name}",
        attribution=ATTRIBUTION,
    )


def _datex(shown, kind: str, table_id: str) -> HttpResponse:
    build = datex.table if kind == "table" else datex.status
    body = build(shown, table_id=table_id, now=timezone.now(), creator="DE-RDH")
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@router.get(
    "/t/{slug}/laden/datex2/{kind}.xml",
    url_name="charging_datex",
    summary="The tenant's chargers as DATEX II v3 Energy Infrastructure: table or status",
    openapi_extra={"responses": {"200": {"content": {"application/xml": {}}}}},
)
def tenant_datex(request, slug: str, kind: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    if kind not in KINDS:
        raise NotFound(f"no DATEX II publication {kind!r}; there are table and status")
    return _datex(selectors.shown(tenant), kind, f"hub-{tenant.slug}")


@router.get(
    "/laden/datex2/{kind}.xml",
    url_name="charging_datex_region",
    summary="All chargers of the region as DATEX II v3 Energy Infrastructure: table or status",
    openapi_extra={"responses": {"200": {"content": {"application/xml": {}}}}},
)
def region_datex(request, kind: str):
    if kind not in KINDS:
        raise NotFound(f"no DATEX II publication {kind!r}; there are table and status")
    return _datex(selectors.shown(), kind, "hub-region")
