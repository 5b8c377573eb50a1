# SPDX-License-Identifier: EUPL-1.2
"""The routing network of one service day, read from the live timetables in PostgreSQL and
kept in the process (each web worker holds the days it was asked about, two at most).

A day's network holds every trip instance that runs between 21:00 the evening before and
09:00 the morning after (local time), so a search starting at any time of the day has six hours
on either side; trips past midnight of the day before are in it with their real times. Stops
are merged by stop_id across the feeds (they share 36), and the rules for changing are the
hub's, the same for every engine (docs/adr/0014-journey-planning-own-raptor.md):

- changing at the same stop: CHANGE_SECONDS, or the feed's transfers.txt minimum for it;
- walking to another stop of the same station or one within WALK_RADIUS metres:
  distance * DETOUR at WALK_SPEED, at least PLATFORM_SECONDS; a transfers.txt minimum between
  the two raises it, transfer_type 3 ("not possible") removes the footpath.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection

from hub.mobility.journeys import raptor

log = logging.getLogger(__name__)
BERLIN = ZoneInfo("Europe/Berlin")
CHANGE_SECONDS = 60
PLATFORM_SECONDS = 120
WALK_RADIUS = 400  # metres between stops
WALK_SPEED = 1.25  # m/s, 4.5 km/h
DETOUR = 1.3  # streets are not straight lines
KEEP_DAYS = 2


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12_742_000 * math.asin(math.sqrt(h))


def walk_seconds(metres: float) -> int:
    return math.ceil(metres * DETOUR / WALK_SPEED)


@dataclass(frozen=True)
class TripInfo:
    trip_id: str
    feed: str
    day: dt.date  # the service day (for GTFS-Realtime)
    line: str
    route_type: int
    headsign: str
    color: str
    sequences: tuple[int, ...]  # GTFS stop_sequence per position of the trip's calls


@dataclass
class Day:
    day: dt.date
    versions: tuple[int, ...]
    network: raptor.Network
    trips: list[TripInfo]
    names: list[str]
    platforms: list[str]
    points: list[tuple[float, float]]  # (lon, lat)
    stations: list[str]
    built_seconds: float
    # (feed, trip_id, service day) -> trip instance: where GTFS-Realtime's trips are.
    instances: dict[tuple[str, str, dt.date], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.instances:
            self.instances = {(t.feed, t.trip_id, t.day): n for n, t in enumerate(self.trips)}


def window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(21), BERLIN)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9), BERLIN)
    return start, end


def day_of(moment: dt.datetime) -> dt.date:
    """The network day a search at this moment uses (03:00 to 03:00)."""
    return (moment.astimezone(BERLIN) - dt.timedelta(hours=3)).date()


STOPS_SQL = """
SELECT DISTINCT ON (s.stop_id) s.id, s.stop_id, s.name, s.platform, s.station,
       ST_X(s.point), ST_Y(s.point)
FROM mobility_stop s
WHERE s.version_id = ANY(%(versions)s)
ORDER BY s.stop_id, s.version_id DESC
"""

TRANSFERS_SQL = """
SELECT a.stop_id, b.stop_id, t.transfer_type, t.min_seconds
FROM mobility_transfer t
JOIN mobility_stop a ON a.id = t.from_stop_id
JOIN mobility_stop b ON b.id = t.to_stop_id
WHERE t.version_id = ANY(%(versions)s)
"""

# The trip instances of the days around `day` whose service runs that day, with their calls.
CALLS_SQL = """
WITH days AS (
  SELECT v.id AS version_id, f.slug, d.day,
         ((d.day + time '12:00') AT TIME ZONE v.timezone) - interval '12 hours' AS origin
  FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id,
       LATERAL (SELECT (%(day)s::date + i) AS day FROM generate_series(-1, 1) AS i) d
  WHERE v.id = ANY(%(versions)s)
), running AS (
  SELECT t.id, t.trip_id, t.headsign, t.route_id, d.slug, d.day,
         extract(epoch FROM d.origin)::bigint AS origin
  FROM days d JOIN mobility_trip t ON t.version_id = d.version_id
  WHERE ((EXISTS (SELECT 1 FROM mobility_service sv WHERE sv.version_id = d.version_id
            AND sv.service_id = t.service_id AND d.day BETWEEN sv.start AND sv."end"
            AND (sv.weekdays >> (extract(isodow FROM d.day)::int - 1)) & 1 = 1)
         AND NOT EXISTS (SELECT 1 FROM mobility_servicedate x WHERE x.version_id = d.version_id
            AND x.service_id = t.service_id AND x.date = d.day AND NOT x.added))
      OR EXISTS (SELECT 1 FROM mobility_servicedate x WHERE x.version_id = d.version_id
            AND x.service_id = t.service_id AND x.date = d.day AND x.added))
)
SELECT r.id, r.trip_id, r.slug, r.day, r.origin, r.headsign,
       coalesce(nullif(ro.short_name, ''), ro.long_name), ro.route_type, ro.color,
       array_agg(s.stop_id ORDER BY st.sequence), array_agg(st.arrival ORDER BY st.sequence),
       array_agg(st.departure ORDER BY st.sequence), array_agg(st.pickup ORDER BY st.sequence),
       array_agg(st.drop_off ORDER BY st.sequence), array_agg(st.sequence ORDER BY st.sequence)
FROM running r
JOIN mobility_route ro ON ro.id = r.route_id
JOIN mobility_stoptime st ON st.trip_id = r.id
JOIN mobility_stop s ON s.id = st.stop_id
GROUP BY r.id, r.trip_id, r.slug, r.day, r.origin, r.headsign, ro.short_name, ro.long_name,
         ro.route_type, ro.color
HAVING r.origin + min(st.departure) < %(end)s AND r.origin + max(st.arrival) >= %(start)s
"""


def _near_pairs(stop_rows) -> list[tuple[int, int, float]]:
    """Pairs of stops to walk between (both ways): the same station, or at most WALK_RADIUS
    apart; found through a grid of cells larger than the radius."""
    cell_lat = WALK_RADIUS / 111_000
    cell_lon = cell_lat / 0.6  # cos(52°) ≈ 0.6: the region's latitude
    grid: dict[tuple[int, int], list[int]] = {}
    points = [(r[5], r[6]) for r in stop_rows]
    for i, (lon, lat) in enumerate(points):
        grid.setdefault((int(lat // cell_lat), int(lon // cell_lon)), []).append(i)
    pairs = []
    for (y, x), members in grid.items():
        around = [
            j for dy in (-1, 0, 1) for dx in (-1, 0, 1) for j in grid.get((y + dy, x + dx), ())
        ]
        for i in members:
            for j in around:
                if i != j:
                    distance = metres(points[i], points[j])
                    if distance <= WALK_RADIUS:
                        pairs.append((i, j, distance))
    stations: dict[str, list[int]] = {}
    for i, row in enumerate(stop_rows):
        stations.setdefault(row[4], []).append(i)
    for members in stations.values():
        for i in members:
            for j in members:
                if i != j:
                    pairs.append((i, j, metres(points[i], points[j])))
    return pairs


def _streamed(sql: str, params: dict, size: int = 500):
    """Rows of a server-side cursor, a batch at a time: the whole answer (some 100 MB as
    Python objects) never sits in the worker at once, so its RSS stays near what it keeps."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield from batch


def build_day(day: dt.date, versions: tuple[int, ...]) -> Day:
    started = time.perf_counter()
    start, end = (int(t.timestamp()) for t in window(day))
    params = {"versions": list(versions), "day": day, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(STOPS_SQL, params)
        stop_rows = cursor.fetchall()
        cursor.execute(TRANSFERS_SQL, params)
        transfers = cursor.fetchall()
    stops = [r[1] for r in stop_rows]
    index = {s: i for i, s in enumerate(stops)}
    change = [CHANGE_SECONDS] * len(stops)
    footpaths: dict[tuple[int, int], int] = {}
    for i, j, distance in _near_pairs(stop_rows):
        footpaths[i, j] = max(PLATFORM_SECONDS, walk_seconds(distance))
    for a, b, kind, minimum in transfers:
        i, j = index[a], index[b]
        if i == j:
            if kind == 2 and minimum is not None:
                change[i] = minimum
            continue
        if kind == 3:
            footpaths.pop((i, j), None)
            continue
        base = footpaths.get((i, j), PLATFORM_SECONDS)
        footpaths[i, j] = max(base, minimum or 0)
    walks: list[list[tuple[int, int]]] = [[] for _ in stops]
    for (i, j), seconds in footpaths.items():
        walks[i].append((j, seconds))
    trips: list[TripInfo] = []
    instances = []
    for row in _streamed(CALLS_SQL, params):
        _, trip_id, slug, service_day, origin, headsign, line, kind, color = row[:9]
        at, arrivals, departures, pickups, drops, sequences = row[9:]
        n = len(at)
        calls_of = [
            (
                index[at[i]],
                origin + arrivals[i],
                origin + departures[i],
                pickups[i] != 1 and i < n - 1,
                drops[i] != 1 and i > 0,
            )
            for i in range(n)
        ]
        instances.append((len(trips), calls_of))
        trips.append(
            TripInfo(
                trip_id, slug, service_day, line or "", kind, headsign, color, tuple(sequences)
            )
        )
    network = raptor.build(stops, instances, walks, change)
    took = time.perf_counter() - started
    log.info(
        "journey network for %s: %d stops, %d trips, %d patterns in %.2f s",
        day,
        len(stops),
        len(trips),
        len(network.patterns),
        took,
    )
    return Day(
        day,
        versions,
        network,
        trips,
        [r[2] for r in stop_rows],
        [r[3] for r in stop_rows],
        [(r[5], r[6]) for r in stop_rows],
        [r[4] for r in stop_rows],
        took,
    )


_days: OrderedDict[tuple, Day] = OrderedDict()
_lock = threading.Lock()


def live_version_ids() -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT live_id FROM mobility_feed WHERE live_id IS NOT NULL ORDER BY 1")
        return tuple(r[0] for r in cursor.fetchall())


def network_for(day: dt.date) -> Day:
    """The day's network of the live timetables; rebuilt when a feed switched versions."""
    versions = live_version_ids()
    key = (day, versions)
    with _lock:
        found = _days.get(key)
        if found is not None:
            _days.move_to_end(key)
            return found
    built = build_day(day, versions)
    with _lock:
        _days[key] = built
        while len(_days) > KEEP_DAYS:
            _days.popitem(last=False)
    return built


def forget() -> None:
    with _lock:
        _days.clear()
