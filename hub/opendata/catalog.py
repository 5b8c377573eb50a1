# SPDX-License-Identifier: EUPL-1.2
"""Each tenant publishes its share of the region's open data (where it has any)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from hub.core.registry import PublicDataset, Resource
from hub.opendata.selectors import places_in
from hub.opendata.sources import SOURCES
from hub.tenancy.selectors import active_tenants


def public_datasets() -> Iterator[PublicDataset]:
    for tenant in active_tenants().exclude(boundary=None).order_by("slug"):
        for identifier, (source, _) in SOURCES.items():
            count = len(places_in(tenant, identifier))
            if not count:
                continue
            base = f"{settings.HUB_PUBLIC_URL}/api/v1/t/{tenant.slug}/offene-daten/{identifier}"
            yield PublicDataset(
                identifier=identifier,
                tenant=tenant.slug,
                title=f"{source.title}: {tenant.display_name}",
                notes=f"{source.description} {count} Einträge. Quelle: {source.attribution}.",
                license_id=source.license_id,
                tags=source.tags,
                themes=source.themes,
                attribution=source.attribution,
                resources=(
                    Resource(name=f"{source.title} (CSV)", url=f"{base}.csv", format="CSV"),
                    Resource(
                        name=f"{source.title} (GeoJSON)", url=f"{base}.geojson", format="GeoJSON"
                    ),
                ),
            )
