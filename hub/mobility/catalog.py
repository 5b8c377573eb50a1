# SPDX-License-Identifier: EUPL-1.2
"""The mobility centre's open data in the catalogue: the merged regional timetable (published
by the district, or the first tenant offering the mobility centre) and each tenant's line
network. The stops per tenant are hub.opendata's. CC BY 4.0, with the NASA attribution."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from hub.core.registry import PublicDataset, Resource
from hub.mobility import selectors
from hub.tenancy.selectors import active_tenants

LICENCE = "cc-by/4.0"


def public_datasets() -> Iterator[PublicDataset]:
    versions = list(selectors.live_versions().order_by("feed__slug"))
    if not versions:
        return
    attribution = "; ".join(v.feed.attribution for v in versions)
    base = settings.HUB_PUBLIC_URL
    offering = [
        t
        for t in active_tenants().exclude(boundary=None).order_by("slug")
        if "mobility" in (t.services or [])
    ]
    publisher = next((t for t in offering if t.kind == "district"), None) or next(
        iter(offering), None
    )
    if publisher is not None:
        covered = selectors.timetable()
        yield PublicDataset(
            identifier="fahrplan-gtfs",
            tenant=publisher.slug,
            title="Regionalfahrplan Bus und Bahn (GTFS)",
            notes=(
                "Die Fahrpläne der Region in einem GTFS-Feed: "
                + ", ".join(v.feed.name for v in versions)
                + f", zusammengeführt und geprüft (gtfs-guru), mit Stationen aus der DHID und der"
                f" vom Personal erfassten Barrierefreiheit. Fahrtage {covered.first_day:%d.%m.%Y}"
                f" bis {covered.last_day:%d.%m.%Y}. Quelle: {attribution}."
            ),
            license_id=LICENCE,
            tags=("GTFS", "Fahrplan", "ÖPNV"),
            themes=("TRAN",),
            attribution=attribution,
            resources=(
                Resource(
                    name="Regionalfahrplan (GTFS)",
                    url=f"{base}/api/v1/mobilitaet/gtfs/regional.zip",
                    format="GTFS",
                ),
            ),
        )
    for tenant in offering:
        count = selectors.lines_in(tenant).count()
        if not count:
            continue
        yield PublicDataset(
            identifier="liniennetz",
            tenant=tenant.slug,
            title=f"Liniennetz: {tenant.display_name}",
            notes=(
                f"Die {count} Bus- und Bahnlinien, die durch {tenant.name} fahren, mit ihrem"
                f" Linienverlauf (GTFS shapes). Quelle: {attribution}."
            ),
            license_id=LICENCE,
            tags=("ÖPNV", "Liniennetz", "Geodaten"),
            themes=("TRAN",),
            attribution=attribution,
            resources=(
                Resource(
                    name="Liniennetz (GeoJSON)",
                    url=f"{base}/api/v1/t/{tenant.slug}/mobilitaet/linien.geojson",
                    format="GeoJSON",
                ),
                Resource(
                    name="Liniennetz (WFS)",
                    url=f"{settings.HUB_OGC['url']}/{tenant.slug}/?SERVICE=WFS&REQUEST=GetCapabilities",
                    format="WFS",
                ),
            ),
        )
