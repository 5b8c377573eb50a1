# SPDX-License-Identifier: EUPL-1.2
"""The chargers in the catalogue: per tenant of the mobility centre with chargers in its area,
the chargers with live status (GeoJSON) and as DATEX II v3 for the national access point. The
register is the Bundesnetzagentur's (CC BY 4.0)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from hub.charging import selectors
from hub.core.registry import PublicDataset, Resource
from hub.tenancy.selectors import active_tenants


def public_datasets() -> Iterator[PublicDataset]:
    base = settings.HUB_PUBLIC_URL
    for tenant in active_tenants().exclude(boundary=None).order_by("slug"):
        if "mobility" not in (tenant.services or []):
            continue
        count = selectors.stations(tenant).count()
        if not count:
            continue
        api = f"{base}/api/v1/t/{tenant.slug}/laden"
        yield PublicDataset(
            identifier="ladesaeulen-status",
            tenant=tenant.slug,
            title=f"Ladesäulen mit Live-Status: {tenant.display_name}",
            notes=(
                f"Die {count} Ladeeinrichtungen des Ladesäulenregisters der Bundesnetzagentur im"
                f" Gebiet von {tenant.name}, mit dem Status, den ihre Betreiber über OCPI 2.2.1"
                " melden; auch als DATEX II v3 (Energy Infrastructure) nach AFIR."
            ),
            license_id="cc-by/4.0",
            tags=("Elektromobilität", "Ladesäulen", "AFIR", "DATEX II"),
            themes=("TRAN", "ENER"),
            attribution="Bundesnetzagentur (Ladesäulenregister); Live-Status: die Betreiber",
            resources=(
                Resource(
                    name="Ladesäulen mit Status (GeoJSON)",
                    url=f"{api}/ladesaeulen.geojson",
                    format="GeoJSON",
                ),
                Resource(
                    name="DATEX II v3: Stammdaten", url=f"{api}/datex2/table.xml", format="XML"
                ),
                Resource(name="DATEX II v3: Status", url=f"{api}/datex2/status.xml", format="XML"),
            ),
        )
