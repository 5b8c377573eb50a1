# SPDX-License-Identifier: EUPL-1.2
"""Reads of the mobility centre: the live timetables, stops of a tenant, departure boards.

Everything reads the live version of every feed at once (the merged regional timetable): a
stop_id the feeds share is one stop, a station is every stop with its station key.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.db import connection, models
from django.db.models import QuerySet

from hub.core.errors import Invalid, NotFound
from hub.mobility.models import Feed, FeedVersion, Route, Stop, Trip

MAX_DEPARTURES = 100
MAX_WINDOW = dt.timedelta(hours=24)


def live_versions() -> QuerySet[FeedVersion]:
    return FeedVersion.objects.filter(
        pk__in=Feed.objects.exclude(live=None).values("live_id")
    ).select_related("feed")


@dataclass(frozen=True)
class Timetable:
    """What the live feeds cover, read in one query: boards and journeys outside it say so."""

    first_day: dt.date | None
    last_day: dt.date | None
    attributions: tuple[str, ...]


def timetable() -> Timetable:
    rows = list(live_versions().values_list("first_day", "last_day", "feed__attribution"))
    firsts = [r[0] for r in rows if r[0] is not None]
    lasts = [r[1] for r in rows if r[1] is not None]
    return Timetable(
        min(firsts, default=None), max(lasts, default=None), tuple(sorted({r[2] for r in rows}))
    )


def service_end() -> dt.date | None:
    """The last day any live feed has service."""
    return timetable().last_day


def stops_in(tenant) -> QuerySet[Stop]:
    """The live stops inside the tenant's area, one per stop_id (the feeds share some)."""
    if tenant.boundary is None:
        return Stop.objects.none()
    return (
        Stop.objects.filter(version__in=live_versions(), point__within=tenant.boundary)
        .order_by("stop_id", "-version_id")
        .distinct("stop_id")
    )


@dataclass(frozen=True)
class Place:
    """A stop or station as a board shows it."""

    key: str  # the station key (DHID prefix), or the stop_id of a lone stop
    name: str
    stop_ids: tuple[str, ...]
    point: Point


def place(key: str) -> Place:
    """The station with this key, or the station of the stop with this stop_id."""
    live = live_versions()
    stops = list(Stop.objects.filter(version__in=live, station=key))
    if not stops:
        one = Stop.objects.filter(version__in=live, stop_id=key).first()
        if one is None:
            raise NotFound(f"no stop or station {key[:60]!r} in the live timetables")
        stops = list(Stop.objects.filter(version__in=live, station=one.station))
    names = sorted({s.name for s in stops}, key=lambda n: (len(n), n))
    first = stops[0]
    return Place(first.station, names[0], tuple(sorted({s.stop_id for s in stops})), first.point)


def station_named(name: str) -> Place | None:
    """The station whose stops carry this name ("Haldensleben, ZOB") or, failing that, the one
    station whose name starts with it ("Magdeburg, Hasselbachplatz"), case ignored; None if
    there is none or several."""
    live = Stop.objects.filter(version__in=live_versions())
    for found in (live.filter(name__iexact=name.strip()), live.filter(name__istartswith=name)):
        stations = list(found.values_list("station", flat=True).distinct()[:2])
        if len(stations) == 1:
            return place(stations[0])
        if stations:
            return None
    return None


NEAR_SQL = """
SELECT s.station, min(ST_DistanceSphere(s.point, here.p)) AS metres
FROM mobility_stop s, (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS p) here
WHERE s.version_id = ANY(%(versions)s) AND ST_DWithin(s.point, here.p, %(degrees)s)
GROUP BY s.station
HAVING min(ST_DistanceSphere(s.point, here.p)) <= %(radius)s
ORDER BY metres, s.station
LIMIT %(limit)s
"""


def stations_near(lon: float, lat: float, *, radius: int, limit: int) -> list[tuple[Place, int]]:
    """The stations with a live stop within `radius` metres of the point, nearest first, each
    with the metres (as the crow flies) to its nearest stop. The index narrows to a circle in
    degrees as wide as `radius` east-west (a degree east shrinks towards the poles); the exact
    distance then decides."""
    versions = list(live_versions().values_list("id", flat=True))
    if not versions:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            NEAR_SQL,
            {
                "lon": lon,
                "lat": lat,
                "versions": versions,
                "degrees": radius / (111_320 * max(math.cos(math.radians(lat)), 0.01)),
                "radius": radius,
                "limit": limit,
            },
        )
        rows = cursor.fetchall()
    return [(place(station), round(metres)) for station, metres in rows]


@dataclass(frozen=True)
class Departure:
    planned: dt.datetime  # aware, in the feed's time zone
    line: str
    route_type: int
    headsign: str
    stop_id: str
    platform: str
    trip_id: str
    feed: str
    color: str
    last: bool = False
    sequence: int = 0
    day: dt.date | None = None  # the service day (GTFS-RT's start_date)


# For each live version and each service day that can reach the window (a trip may run up to
# 48 h past its day's start), the day's time origin; then the stop times whose departure falls
# in the window measured from that origin (the index mobility_board: stop, departure), and only
# then whether the trip's service runs that day.
SQL = """
WITH live AS (
  SELECT v.id, v.timezone, f.slug
  FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
), days AS (
  SELECT l.id AS version_id, l.slug, l.timezone, d.day,
         ((d.day + time '12:00') AT TIME ZONE l.timezone) - interval '12 hours' AS origin
  FROM live l, LATERAL (SELECT (%(day)s::date + i) AS day FROM generate_series(-2, 1) AS i) d
), active AS MATERIALIZED (
  SELECT d.version_id, d.day, sv.service_id
  FROM days d JOIN mobility_service sv ON sv.version_id = d.version_id
   AND d.day BETWEEN sv.start AND sv."end"
   AND (sv.weekdays >> (extract(isodow FROM d.day)::int - 1)) & 1 = 1
  WHERE NOT EXISTS (SELECT 1 FROM mobility_servicedate x WHERE x.version_id = d.version_id
                    AND x.service_id = sv.service_id AND x.date = d.day AND NOT x.added)
  UNION
  SELECT d.version_id, d.day, x.service_id
  FROM days d JOIN mobility_servicedate x ON x.version_id = d.version_id AND x.date = d.day
  WHERE x.added
), calls AS MATERIALIZED (
  SELECT d.origin + st.departure * interval '1 second' AS planned, st.trip_id AS trip_pk,
         d.version_id, d.day, d.slug, d.timezone, s.stop_id, s.platform, st.last, st.sequence
  FROM days d
  JOIN mobility_stop s ON s.version_id = d.version_id AND s.stop_id = ANY(%(stops)s)
  JOIN mobility_stoptime st ON st.stop_id = s.id
   AND st.departure >= extract(epoch FROM %(start)s::timestamptz - d.origin)
   AND st.departure < extract(epoch FROM %(end)s::timestamptz - d.origin)
  WHERE st.pickup <> 1 AND (%(arrivals)s OR NOT st.last)
)
SELECT DISTINCT ON (c.planned, t.trip_id) c.planned, r.short_name, r.route_type, r.color,
       t.headsign, t.trip_id, c.stop_id, c.platform, c.slug, c.timezone, c.last, r.long_name,
       c.sequence, c.day
FROM calls c
JOIN mobility_trip t ON t.id = c.trip_pk
JOIN active a ON a.version_id = c.version_id AND a.day = c.day AND a.service_id = t.service_id
JOIN mobility_route r ON r.id = t.route_id
ORDER BY c.planned, t.trip_id LIMIT %(limit)s
"""


def departures(
    stop_ids: tuple[str, ...],
    start: dt.datetime,
    *,
    limit: int = 20,
    window: dt.timedelta = dt.timedelta(hours=3),
    arrivals: bool = False,
) -> list[Departure]:
    """The planned departures at these stops from `start` (aware) on, within `window`: the
    services of each day by calendar and calendar_dates, times counted from noon - 12 h of
    the service day in the feed's time zone (so trips past midnight and DST days are right).
    A trip's last stop is no departure (unless `arrivals`)."""
    if start.tzinfo is None:
        raise Invalid("the time needs a time zone")
    if not 1 <= limit <= MAX_DEPARTURES:
        raise Invalid(f"limit is between 1 and {MAX_DEPARTURES}")
    if window > MAX_WINDOW or window <= dt.timedelta(0):
        raise Invalid("the window is at most 24 hours")
    local_day = start.astimezone(ZoneInfo("Europe/Berlin")).date()
    with connection.cursor() as cursor:
        cursor.execute(
            SQL,
            {
                "day": local_day,
                "stops": list(stop_ids),
                "start": start,
                "end": start + window,
                "limit": limit,
                "arrivals": arrivals,
            },
        )
        rows = cursor.fetchall()
    out = []
    for row in rows:
        planned, line, kind, color, headsign, trip, stop, platform, feed, zone, last, long = row[
            :12
        ]
        out.append(
            Departure(
                planned=planned.astimezone(ZoneInfo(zone)),
                line=line or long,
                route_type=kind,
                headsign=headsign,
                stop_id=stop,
                platform=platform,
                trip_id=trip,
                feed=feed,
                color=color,
                last=last,
                sequence=row[12],
                day=row[13],
            )
        )
    return out


def lines_in(tenant) -> QuerySet[Route]:
    """The live lines whose route crosses the tenant's area, by line name."""
    if tenant.boundary is None:
        return Route.objects.none()
    return (
        Route.objects.filter(version__in=live_versions(), geometry__intersects=tenant.boundary)
        .select_related("version__feed")
        .order_by("short_name", "long_name", "route_id")
    )


@dataclass(frozen=True)
class Line:
    route: Route
    feed: str
    stations: list[Place]  # in the order of its longest trip
    trip_ids: frozenset[str]


def line(feed: str, route_id: str) -> Line:
    """A live line with its stations (those of its longest trip, in order)."""
    route = (
        Route.objects.filter(
            version__in=live_versions(), version__feed__slug=feed, route_id=route_id
        )
        .select_related("version__feed")
        .first()
    )
    if route is None:
        raise NotFound(f"no line {route_id[:60]!r} in the live timetable of {feed[:60]!r}")
    trips = Trip.objects.filter(route=route)
    longest = trips.annotate(calls=models.Count("stop_times")).order_by("-calls", "trip_id").first()
    stations: list[Place] = []
    if longest is not None:
        stops = Stop.objects.filter(stop_times__trip=longest).order_by("stop_times__sequence")
        for stop in stops:
            if not stations or stations[-1].key != stop.station:
                stations.append(Place(stop.station, stop.name, (stop.stop_id,), stop.point))
    return Line(route, feed, stations, frozenset(trips.values_list("trip_id", flat=True)))


def lines_at(stop_ids) -> list[Route]:
    """The live lines that call at these stops, by name."""
    return list(
        Route.objects.filter(
            version__in=live_versions(), trips__stop_times__stop__stop_id__in=list(stop_ids)
        )
        .select_related("version__feed")
        .distinct()
        .order_by("short_name", "long_name", "route_id")
    )
