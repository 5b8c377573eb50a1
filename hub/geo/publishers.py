# SPDX-License-Identifier: EUPL-1.2
"""One interface for the OGC servers the hub can publish to, chosen by HUB_OGC_PUBLISHER."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from hub.core.registry import Resource
from hub.geo.mapserver import Workspace


class Publisher(Protocol):
    name: str

    def published(self) -> dict[str, str]:
        """Slug → a fingerprint of what the server publishes for that tenant now."""

    def expected(self, workspace: Workspace) -> str:
        """The fingerprint `published()` shows once `publish(workspace)` has run."""

    def publish(self, workspace: Workspace) -> None:
        """Create or update the tenant's services, idempotently."""

    def withdraw(self, slug: str) -> None:
        """Remove the tenant's services (its data stays in the hub)."""


def publisher() -> Publisher:
    kind = settings.HUB_OGC["publisher"]
    if kind == "mapserver":
        from hub.geo.mapserver import MapServerPublisher

        return MapServerPublisher()
    if kind == "geoserver":
        from hub.geo.geoserver import GeoServerPublisher

        return GeoServerPublisher.from_settings()
    raise ValueError(f"HUB_OGC_PUBLISHER={kind!r}: use mapserver or geoserver")


def workspace(slug: str, title: str, boundary) -> Workspace:
    """The workspace of a tenant with its area (a GEOS geometry in EPSG:4326)."""
    minx, miny, maxx, maxy = boundary.extent
    return Workspace(slug=slug, title=title, extent=(minx, miny, maxx, maxy))


def ogc_resources(slug: str, layer: str) -> tuple[Resource, ...]:
    """Catalogue resources pointing at a tenant's OGC services for one layer."""
    ogc = settings.HUB_OGC
    if ogc["publisher"] == "geoserver":
        base = f"{ogc['geoserver_url']}/{slug}"
        wms, wfs = f"{base}/wms?", f"{base}/wfs?"
        features = f"{ogc['geoserver_url']}/ogc/features/v1/collections/{slug}:{layer}"
    else:
        wms = wfs = f"{ogc['url']}/{slug}/?"
        features = f"{ogc['url']}/{slug}/ogcapi/collections/{layer}"
    return (
        Resource(
            name=f"Kartendienst (WMS), Ebene {layer}",
            url=f"{wms}SERVICE=WMS&REQUEST=GetCapabilities",
            format="WMS",
        ),
        Resource(
            name=f"Downloaddienst (WFS), Ebene {layer}",
            url=f"{wfs}SERVICE=WFS&REQUEST=GetCapabilities",
            format="WFS",
        ),
        Resource(name=f"OGC API Features, Sammlung {layer}", url=features, format="OGC API"),
    )
