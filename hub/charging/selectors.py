# SPDX-License-Identifier: EUPL-1.2
"""Reads of the charging app: a tenant's stations with their live status, the review list of
unlinked Locations, and the status history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import Prefetch, QuerySet

from hub.charging.models import Evse, Location, Station
from hub.charging.services import REVIEW_METRES, operator_key

FREE = "AVAILABLE"
# Statuses a driver can do nothing with now (and "unknown" ones) against those that are
# busy for a while; shown in this order.
ORDER = (
    "AVAILABLE",
    "CHARGING",
    "RESERVED",
    "BLOCKED",
    "OUTOFORDER",
    "INOPERATIVE",
    "PLANNED",
    "UNKNOWN",
)


@dataclass(frozen=True)
class Live:
    """A station's live status: counts per OCPI status of its Location's EVSEs."""

    counts: dict[str, int] = field(default_factory=dict)
    as_of: dt.datetime | None = None  # the newest last_updated of its EVSEs
    unknown_since: dt.datetime | None = None  # every EVSE UNKNOWN since (the oldest) then

    @property
    def known(self) -> bool:
        return bool(self.counts)

    @property
    def free(self) -> int:
        return self.counts.get(FREE, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def summary(self) -> str:
        """The status in one word for a map's colour and the GeoJSON: free, busy, out, unknown."""
        if not self.counts or self.unknown_since is not None:
            return "unknown"
        if self.free:
            return "free"
        if any(self.counts.get(s) for s in ("CHARGING", "RESERVED", "BLOCKED")):
            return "busy"
        return "out"


def _live(location: Location | None) -> Live:
    if location is None:
        return Live()
    evses = [e for e in location.evses.all() if e.present]
    if not evses:
        return Live()
    counts = Counter(e.status for e in evses)
    ordered = {s: counts[s] for s in ORDER if counts.get(s)}
    unknown = None
    if set(counts) == {"UNKNOWN"}:
        unknown = min(e.last_updated for e in evses)
    return Live(ordered, max(e.last_updated for e in evses), unknown)


@dataclass(frozen=True)
class Shown:
    station: Station
    live: Live


def stations(tenant=None) -> QuerySet[Station]:
    """The register's current stations, inside the tenant's area if one is given, with their
    charge points and their Location's EVSEs (one query each)."""
    found = Station.objects.filter(withdrawn=False)
    if tenant is not None:
        if tenant.boundary is None:
            return Station.objects.none()
        found = found.filter(point__within=tenant.boundary)
    return found.select_related("location").prefetch_related(
        "points", Prefetch("location__evses", queryset=Evse.objects.order_by("uid"))
    )


def shown(tenant=None) -> list[Shown]:
    return [Shown(s, _live(s.location)) for s in stations(tenant)]


@dataclass(frozen=True)
class Candidate:
    station: Station
    metres: int
    same_operator: bool


@dataclass(frozen=True)
class Review:
    location: Location
    candidates: list[Candidate]


def review(tenant) -> list[Review]:
    """The Locations of the tenant's partners that no register entry is linked to and staff
    have not marked as unregistered, each with the register entries nearby."""
    open_ = (
        Location.objects.filter(party__tenant=tenant, stations__isnull=True, unregistered=False)
        .select_related("party")
        .order_by("location_id")
    )
    out = []
    for location in open_:
        wanted = operator_key(location.party.register_operator)
        near = (
            Station.objects.filter(
                withdrawn=False, point__distance_lte=(location.point, D(m=REVIEW_METRES))
            )
            .annotate(metres=Distance("point", location.point))
            .order_by("metres")[:10]
        )
        out.append(
            Review(
                location,
                [Candidate(s, round(s.metres.m), operator_key(s.operator) == wanted) for s in near],
            )
        )
    return out
