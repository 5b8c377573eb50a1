# SPDX-License-Identifier: EUPL-1.2
"""Bus stops in the search box, by name; each leads to the municipality whose area holds it
(the public-transport app puts its departure board in front once it is there)."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.core.registry import SearchHit
from hub.opendata.sources import bus_stops
from hub.tenancy.selectors import active_tenants


def _holder(stop):
    """The smallest active tenant whose area contains the stop."""
    return (
        active_tenants()
        .prefetch_related(None)
        .filter(boundary__contains=Point(stop.lon, stop.lat, srid=4326))
        .annotate(size=Area("boundary"))
        .order_by("size")
        .only("slug", "name", "short_name")
        .first()
    )


class StopSearch:
    name = "stops"

    def search(self, query: str, *, request, limit: int) -> list[SearchHit]:
        words = [w.lower() for w in query.split()]
        found = [s for s in bus_stops() if all(w in s.properties["name"].lower() for w in words)]
        found.sort(
            key=lambda s: (
                not s.properties["name"].lower().startswith(words[0]),
                s.properties["name"],
            )
        )
        hits = []
        for stop in found[:limit]:
            holder = _holder(stop)
            if holder is None:
                continue
            hits.append(
                SearchHit(
                    title=stop.properties["name"],
                    url=reverse("portal:tenant", kwargs={"slug": holder.slug}),
                    kind=_("Haltestelle"),
                    snippet=_("Haltestelle in %(place)s") % {"place": holder.display_name},
                    rank=1.2,
                )
            )
        return hits
