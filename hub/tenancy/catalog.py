# SPDX-License-Identifier: EUPL-1.2
"""The open data of tenancy: each tenant's area, published by the tenant itself."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from hub.core.registry import PublicDataset, Resource
from hub.tenancy.selectors import active_tenants


def public_datasets() -> Iterator[PublicDataset]:
    for tenant in active_tenants().exclude(boundary=None).order_by("slug"):
        url = f"{settings.HUB_PUBLIC_URL}/api/v1/t/{tenant.slug}/boundary.geojson"
        yield PublicDataset(
            identifier="gebiet",
            tenant=tenant.slug,
            title=f"Gebiet: {tenant.display_name}",
            notes=(
                f"Die Fläche von {tenant.name} als GeoJSON (EPSG:4326). "
                f"Quelle: {tenant.boundary_source}."
            ),
            # The BKG's boundaries are under the Datenlizenz Deutschland - Namensnennung 2.0.
            license_id="dl-by-de/2.0",
            tags=("Verwaltungsgrenzen", "Geodaten"),
            themes=("REGI", "GOVE"),
            attribution="© GeoBasis-DE / BKG (Daten verändert)"
            if "BKG" in (tenant.boundary_source or "")
            else "",
            resources=(Resource(name="Gebiet (GeoJSON)", url=url, format="GeoJSON"),),
        )
