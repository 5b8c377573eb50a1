# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.contrib.gis.geos import Point

from hub.opendata.sources import SOURCES, Place
from hub.tenancy.models import Tenant


def places_in(tenant: Tenant, identifier: str) -> list[Place]:
    """The places of a source that lie inside the tenant's boundary (none without one)."""
    _, load = SOURCES[identifier]
    if tenant.boundary is None:
        return []
    area = tenant.boundary.prepared
    return [p for p in load() if area.contains(Point(p.lon, p.lat, srid=4326))]


def stops() -> tuple[Place, ...]:
    """Every bus stop of the region's feed (for address look-ups by stop name)."""
    from hub.opendata.sources import bus_stops

    return bus_stops()
