# SPDX-License-Identifier: EUPL-1.2
"""What every journey engine answers (places, legs, journeys, a plan), the `Engine` interface
and the Pareto filter they share (hub.mobility.journeys.planner, .otp)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from hub.mobility import selectors


@dataclass(frozen=True)
class Place:
    kind: str  # "station" | "address" | "point"
    label: str
    lon: float
    lat: float
    stop_ids: tuple[str, ...] = ()  # a station's own stops: walked to in no time
    key: str = ""


@dataclass
class Leg:
    kind: str  # "ride" | "walk"
    start: str  # name
    end: str
    departure: dt.datetime
    arrival: dt.datetime
    start_stop: str = ""
    end_stop: str = ""
    start_platform: str = ""
    end_platform: str = ""
    line: str = ""
    route_type: int | None = None
    headsign: str = ""
    trip_id: str = ""
    feed: str = ""
    stops: int = 0  # stops the ride passes between boarding and alighting
    metres: int = 0
    delay_departure: int | None = None  # seconds, from GTFS-Realtime
    delay_arrival: int | None = None


@dataclass
class Journey:
    departure: dt.datetime
    arrival: dt.datetime
    changes: int
    legs: list[Leg]
    warnings: list[str] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return round((self.arrival - self.departure).total_seconds() / 60)


@dataclass
class Plan:
    start: Place
    end: Place
    at: dt.datetime
    arrive_by: bool
    journeys: list[Journey]
    notice: str  # "" or why there is nothing to show
    attribution: tuple[str, ...]
    engine: str = "raptor"


class Engine(Protocol):
    name: str

    def plan(
        self,
        start: Place,
        end: Place,
        at: dt.datetime,
        *,
        arrive_by: bool,
        covered: selectors.Timetable,
    ) -> Plan: ...


def pareto(journeys: list[Journey], arrive_by: bool) -> list[Journey]:
    """Only journeys no other beats on both counts: earlier arrival (later departure for
    arrive-by) and fewer changes; the earliest first."""

    def score(j: Journey):
        return (-j.departure.timestamp() if arrive_by else j.arrival.timestamp(), j.changes)

    kept: list[Journey] = []
    for j in sorted(journeys, key=score):
        if all(not (score(k)[0] <= score(j)[0] and k.changes <= j.changes) for k in kept):
            kept.append(j)
    return sorted(kept, key=lambda j: (j.departure, j.arrival))
