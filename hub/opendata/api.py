# SPDX-License-Identifier: EUPL-1.2
"""Exports of the tenant's share of the region's open data, as CSV and GeoJSON."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from hub.core.exports import csv_response, geojson_response, point_feature
from hub.geo.models import Address
from hub.opendata.selectors import places_in
from hub.opendata.sources import SOURCES
from hub.tenancy.selectors import active_tenants

router = Router(tags=["open data"])
FORMATS = ("csv", "geojson")


@router.get(
    "/t/{slug}/offene-daten/{identifier}.{fmt}",
    url_name="opendata_export",
    summary="A tenant's share of a region-wide open data set (CSV or GeoJSON, EPSG:4326)",
)
def export(request, slug: str, identifier: str, fmt: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    if identifier not in SOURCES or fmt not in FORMATS:
        raise Http404(f"no open data set {identifier}.{fmt}; known: {', '.join(SOURCES)}")
    source, _ = SOURCES[identifier]
    places = places_in(tenant, identifier)
    filename = f"{tenant.slug}-{identifier}.{fmt}"
    if fmt == "geojson":
        response = geojson_response(
            [point_feature(p.id, p.lon, p.lat, p.properties) for p in places],
            name=f"{source.title}: {tenant.display_name}",
            attribution=source.attribution,
        )
    else:
        response = csv_response(
            [*source.columns, "lat", "lon"],
            ([*(p.properties[c] for c in source.columns), p.lat, p.lon] for p in places),
        )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


MAX_ADDRESSES = 5000


@router.get(
    "/t/{slug}/adressen.geojson",
    url_name="addresses_geojson",
    summary="Addresses of the local register inside the tenant's area (GeoJSON, at most 5,000)",
)
def addresses_geojson(request, slug: str):
    tenant = get_object_or_404(active_tenants().exclude(boundary=None), slug=slug)
    rows = Address.objects.filter(location__within=tenant.boundary).order_by("street_key", "number")
    return geojson_response(
        [
            point_feature(a.pk, a.location.x, a.location.y, {"name": a.label, "source": a.source})
            for a in rows[:MAX_ADDRESSES]
        ],
        name=f"Adressen: {tenant.display_name}",
    )
