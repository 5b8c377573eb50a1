# SPDX-License-Identifier: EUPL-1.2
"""Open data: each participating tenant's closed reports, without anything about the reporter,
as CSV and GeoJSON (the catalogue bridge registers them with CKAN)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router

from hub.core.exports import csv_response, geojson_response, point_feature
from hub.core.registry import PublicDataset, Resource
from hub.geo.publishers import ogc_resources
from hub.participation.models import OPEN, PUBLIC, Report
from hub.participation.services import participating_tenants
from hub.tenancy.context import tenant_context

router = Router(tags=["participation"])
COLUMNS = (
    "id",
    "category",
    "regional_category",
    "status",
    "description",
    "agency_responsible",
    "created",
    "closed",
    "lat",
    "lon",
)


def closed_reports(tenant) -> list[dict]:
    with tenant_context([tenant.pk]):
        reports = (
            Report.objects.filter(tenant=tenant, status__in=PUBLIC)
            .exclude(status__in=OPEN)
            .select_related("category__regional")
            .order_by("closed_at", "pk")
        )
        return [
            {
                "id": r.pk,
                "category": r.category.name,
                "regional_category": r.category.regional.code,
                "status": r.status,
                "description": r.description,
                "agency_responsible": r.forwarded_to or tenant.display_name,
                "created": r.created_at.isoformat(timespec="seconds"),
                "closed": r.closed_at.isoformat(timespec="seconds") if r.closed_at else "",
                "lat": round(r.location.y, 5),
                "lon": round(r.location.x, 5),
            }
            for r in reports
        ]


@router.get(
    "/t/{slug}/meldungen.csv",
    url_name="reports_csv",
    summary="Closed citizen reports of a tenant (open data, no personal data), CSV",
)
def reports_csv(request, slug: str):
    tenant = get_object_or_404(participating_tenants(), slug=slug)
    return csv_response(COLUMNS, ([row[c] for c in COLUMNS] for row in closed_reports(tenant)))


@router.get(
    "/t/{slug}/meldungen.geojson",
    url_name="reports_geojson",
    summary="Closed citizen reports of a tenant (open data, no personal data), GeoJSON",
)
def reports_geojson(request, slug: str):
    tenant = get_object_or_404(participating_tenants(), slug=slug)
    return geojson_response(
        [
            point_feature(
                row["id"],
                row["lon"],
                row["lat"],
                {k: v for k, v in row.items() if k not in ("lat", "lon")},
            )
            for row in closed_reports(tenant)
        ]
    )


def public_datasets() -> Iterator[PublicDataset]:
    for tenant in participating_tenants().order_by("slug"):
        base = f"{settings.HUB_PUBLIC_URL}/api/v1/t/{tenant.slug}/meldungen"
        yield PublicDataset(
            identifier="meldungen",
            tenant=tenant.slug,
            title=f"Abgeschlossene Bürgermeldungen: {tenant.display_name}",
            notes=(
                f"Meldungen von Bürgerinnen und Bürgern an {tenant.name} über Mängel im "
                "öffentlichen Raum, nach ihrem Abschluss, ohne Angaben zu den meldenden "
                "Personen. Täglich aktuell."
            ),
            license_id="dl-zero-de/2.0",
            tags=("Bürgerbeteiligung", "Mängelmelder", "Open311"),
            themes=("GOVE", "REGI"),
            resources=(
                Resource(name="Meldungen (CSV)", url=f"{base}.csv", format="CSV"),
                Resource(name="Meldungen (GeoJSON)", url=f"{base}.geojson", format="GeoJSON"),
                *ogc_resources(tenant.slug, "meldungen"),
            ),
        )
