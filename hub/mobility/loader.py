# SPDX-License-Identifier: EUPL-1.2
"""Reading a validated GTFS feed into the tables of one version: COPY per file, ids mapped back
by SQL, stop times interpolated, shapes as lines and each route's geometry from its shapes."""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict

from django.db import connection

from connectors import gtfs
from hub.mobility.models import FeedVersion

# What this loader reads; a live version of an older one is read again on the next import.
LOADER = 3  # 2: shapes and route lines; 3: agency.txt kept

# Each route's line: the distinct shapes of its trips, else the stops of its longest trip.
ROUTE_GEOMETRY = """
UPDATE mobility_route r SET geometry = g.geom
FROM (
  SELECT t.route_id, ST_Multi(ST_Collect(sh.line)) AS geom
  FROM (SELECT DISTINCT route_id, shape_id FROM mobility_trip
        WHERE version_id = %(version)s AND shape_id <> '') t
  JOIN mobility_shape sh ON sh.version_id = %(version)s AND sh.shape_id = t.shape_id
  GROUP BY t.route_id
) g
WHERE r.id = g.route_id;
UPDATE mobility_route r SET geometry = g.geom
FROM (
  SELECT DISTINCT ON (t.route_id) t.route_id,
         ST_Multi(ST_MakeLine(array_agg(s.point ORDER BY st.sequence))) AS geom
  FROM mobility_trip t
  JOIN mobility_stoptime st ON st.trip_id = t.id
  JOIN mobility_stop s ON s.id = st.stop_id
  WHERE t.version_id = %(version)s
  GROUP BY t.route_id, t.id
  ORDER BY t.route_id, count(*) DESC
) g
WHERE r.id = g.route_id AND r.version_id = %(version)s AND r.geometry IS NULL
"""


class Loader:
    """Reads a feed's files into the tables of one version (COPY; ids mapped back by SQL)."""

    def __init__(self, version: FeedVersion, feed: gtfs.Feed, *, progress: bool | None = None):
        self.version, self.feed = version, feed
        self.show = sys.stderr.isatty() if progress is None else progress
        self.counts: dict[str, int] = {}

    def load(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            self.cursor = cursor.cursor
            timezone_name = self._agencies()
            stops = self._stops()
            routes = self._routes()
            trips = self._trips(routes)
            self._calendar()
            self._stop_times(trips, stops)
            self._transfers(stops)
            self._shapes()
            self.counts["loader"] = LOADER
            first, last = self._service_period(trips)
            declared = self._declared_end()
            # Fresh rows: without statistics the planner guesses the boards' joins wrong.
            cursor.execute(
                "ANALYZE mobility_stop, mobility_stoptime, mobility_trip, mobility_route,"
                " mobility_service, mobility_servicedate"
            )
        FeedVersion.objects.filter(pk=self.version.pk).update(
            counts=self.counts,
            agencies=self.agency_rows,
            first_day=first,
            last_day=last,
            declared_end=declared,
            timezone=timezone_name,
        )
        self.version.refresh_from_db()
        return self.counts

    # each file -----------------------------------------------------------------------------

    def _agencies(self) -> str:
        self.agencies: dict[str, str] = {}
        self.agency_rows: list[dict[str, str]] = []
        zones = set()
        for row in self.feed.rows("agency.txt"):
            self.agencies[row.get("agency_id")] = row.need("agency_name")
            zones.add(row.need("agency_timezone"))
            self.agency_rows.append(
                {
                    "agency_id": row.get("agency_id")[:100],
                    "agency_name": row.need("agency_name")[:200],
                    "agency_url": row.get("agency_url")[:300],
                    "agency_timezone": row.need("agency_timezone")[:60],
                    "agency_lang": row.get("agency_lang")[:10],
                    "agency_phone": row.get("agency_phone")[:50],
                }
            )
        if len(zones) > 1:
            raise gtfs.GtfsInvalid(f"agencies in several time zones ({', '.join(sorted(zones))})")
        self.counts["agency"] = len(self.agencies)
        return zones.pop() if zones else "Europe/Berlin"

    def _copy(self, table: str, columns: tuple[str, ...], rows) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)  # "end" is a keyword
        with self.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _ids(self, table: str, key: str) -> dict[str, int]:
        self.cursor.execute(
            f"SELECT {key}, id FROM {table} WHERE version_id = %s",  # noqa: S608 - the code's names
            [self.version.pk],
        )
        return dict(self.cursor.fetchall())

    def _stops(self) -> dict[str, int]:
        seen: set[str] = set()

        def rows():
            for row in self._bar(self.feed.rows("stops.txt"), "stops.txt"):
                stop_id = row.need("stop_id")
                if stop_id in seen:
                    raise row.fail("stop_id", f"{stop_id!r} appears twice")
                seen.add(stop_id)
                if row.integer("location_type", low=0, high=4) > 1:
                    continue  # entrances, generic nodes, boarding areas: not boarded
                lat = row.number("stop_lat", low=-90, high=90)
                lon = row.number("stop_lon", low=-180, high=180)
                yield (
                    self.version.pk,
                    stop_id,
                    row.get("stop_name")[:200] or stop_id,
                    f"SRID=4326;POINT({lon} {lat})",
                    gtfs.station_of(stop_id, row.get("parent_station")),
                    row.get("platform_code")[:50],
                    row.integer("wheelchair_boarding", low=0, high=2),
                )

        self.counts["stops"] = self._copy(
            "mobility_stop",
            ("version_id", "stop_id", "name", "point", "station", "platform", "wheelchair"),
            rows(),
        )
        return self._ids("mobility_stop", "stop_id")

    def _shapes(self) -> None:
        """shapes.txt as one line per shape_id (points in shape_pt_sequence order), then each
        route's geometry: the shapes of its trips, else the stops of its longest trip."""
        points: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
        if self.feed.has("shapes.txt"):
            for row in self._bar(self.feed.rows("shapes.txt"), "shapes.txt"):
                points[row.need("shape_id")].append(
                    (
                        row.integer("shape_pt_sequence"),
                        row.number("shape_pt_lon", low=-180, high=180),
                        row.number("shape_pt_lat", low=-90, high=90),
                    )
                )

        def rows():
            for shape_id, path in points.items():
                path.sort()
                if len(path) < 2:
                    continue
                line = ", ".join(f"{lon} {lat}" for _, lon, lat in path)
                yield (self.version.pk, shape_id, f"SRID=4326;LINESTRING({line})")

        self.counts["shapes"] = self._copy(
            "mobility_shape", ("version_id", "shape_id", "line"), rows()
        )
        self.cursor.execute(ROUTE_GEOMETRY, {"version": self.version.pk})

    def _routes(self) -> dict[str, int]:
        def rows():
            for row in self.feed.rows("routes.txt"):
                agency = row.get("agency_id")
                if agency and agency not in self.agencies:
                    raise row.fail("agency_id", f"{agency!r} is not in agency.txt")
                yield (
                    self.version.pk,
                    row.need("route_id"),
                    self.agencies.get(agency, next(iter(self.agencies.values()), ""))[:200],
                    row.get("route_short_name")[:50],
                    row.get("route_long_name")[:200],
                    row.integer("route_type", low=0, high=1702),
                    row.get("route_color")[:6],
                    row.get("route_text_color")[:6],
                )

        self.counts["routes"] = self._copy(
            "mobility_route",
            (
                "version_id",
                "route_id",
                "agency",
                "short_name",
                "long_name",
                "route_type",
                "color",
                "text_color",
            ),
            rows(),
        )
        return self._ids("mobility_route", "route_id")

    def _trips(self, routes: dict[str, int]) -> dict[str, int]:
        self.trip_services: dict[str, str] = {}

        def rows():
            for row in self._bar(self.feed.rows("trips.txt"), "trips.txt"):
                trip_id, route_id = row.need("trip_id"), row.need("route_id")
                if route_id not in routes:
                    raise row.fail("route_id", f"{route_id!r} is not in routes.txt")
                if trip_id in self.trip_services:
                    raise row.fail("trip_id", f"{trip_id!r} appears twice")
                service = row.need("service_id")
                self.trip_services[trip_id] = service
                direction = row.get("direction_id")
                yield (
                    self.version.pk,
                    trip_id,
                    routes[route_id],
                    service,
                    row.get("trip_headsign")[:200],
                    row.integer("direction_id", low=0, high=1) if direction else None,
                    row.get("shape_id")[:100],
                )

        self.counts["trips"] = self._copy(
            "mobility_trip",
            (
                "version_id",
                "trip_id",
                "route_id",
                "service_id",
                "headsign",
                "direction",
                "shape_id",
            ),
            rows(),
        )
        return self._ids("mobility_trip", "trip_id")

    def _calendar(self) -> None:
        self.calendar: dict[str, tuple[int, dt.date, dt.date]] = {}
        for row in self.feed.rows("calendar.txt"):
            bits = sum(row.integer(day, low=0, high=1) << i for i, day in enumerate(gtfs.WEEKDAYS))
            start, end = row.date("start_date"), row.date("end_date")
            if end < start:
                raise row.fail("end_date", "is before start_date")
            self.calendar[row.need("service_id")] = (bits, start, end)
        self.exceptions: dict[str, tuple[set[dt.date], set[dt.date]]] = defaultdict(
            lambda: (set(), set())
        )
        dates = []
        for row in self.feed.rows("calendar_dates.txt"):
            kind = row.integer("exception_type", low=1, high=2)
            service, day = row.need("service_id"), row.date("date")
            self.exceptions[service][0 if kind == 1 else 1].add(day)
            dates.append((self.version.pk, service, day, kind == 1))
        self.counts["calendar"] = self._copy(
            "mobility_service",
            ("version_id", "service_id", "weekdays", "start", "end"),
            ((self.version.pk, s, b, a, z) for s, (b, a, z) in self.calendar.items()),
        )
        self.counts["calendar_dates"] = self._copy(
            "mobility_servicedate", ("version_id", "service_id", "date", "added"), dates
        )

    def _stop_times(self, trips: dict[str, int], stops: dict[str, int]) -> None:
        by_trip: dict[str, list[tuple[int, int, int | None, int | None, int, int, gtfs.Row]]] = (
            defaultdict(list)
        )
        for row in self._bar(self.feed.rows("stop_times.txt"), "stop_times.txt"):
            trip_id, stop_id = row.need("trip_id"), row.need("stop_id")
            if trip_id not in trips:
                raise row.fail("trip_id", f"{trip_id!r} is not in trips.txt")
            if stop_id not in stops:
                raise row.fail("stop_id", f"{stop_id!r} is not in stops.txt")
            arrival, departure = row.time("arrival_time"), row.time("departure_time")
            if arrival is not None and departure is not None and departure < arrival:
                raise row.fail("departure_time", "is before arrival_time")
            by_trip[trip_id].append(
                (
                    row.integer("stop_sequence"),
                    stops[stop_id],
                    arrival if arrival is not None else departure,
                    departure if departure is not None else arrival,
                    row.integer("pickup_type", low=0, high=3),
                    row.integer("drop_off_type", low=0, high=3),
                    row,
                )
            )
        self.used_services = {self.trip_services[t] for t in by_trip}

        def rows():
            for trip_id, calls in by_trip.items():
                calls.sort(key=lambda c: c[0])
                timed = _interpolate(calls)
                trip_pk = trips[trip_id]
                for i, (sequence, stop_pk, arrival, departure, pickup, drop_off) in enumerate(
                    timed
                ):
                    yield (
                        self.version.pk,
                        trip_pk,
                        sequence,
                        stop_pk,
                        arrival,
                        departure,
                        pickup,
                        drop_off,
                        i == len(timed) - 1,
                    )

        self.counts["stop_times"] = self._copy(
            "mobility_stoptime",
            (
                "version_id",
                "trip_id",
                "sequence",
                "stop_id",
                "arrival",
                "departure",
                "pickup",
                "drop_off",
                "last",
            ),
            rows(),
        )

    def _transfers(self, stops: dict[str, int]) -> None:
        def rows():
            for row in self.feed.rows("transfers.txt"):
                ends = []
                for name in ("from_stop_id", "to_stop_id"):
                    stop_id = row.get(name)
                    if not stop_id:  # trip-to-trip or route-to-route transfers name no stop
                        break
                    if stop_id not in stops:
                        raise row.fail(name, f"{stop_id!r} is not in stops.txt")
                    ends.append(stops[stop_id])
                if len(ends) != 2:
                    continue
                minimum = row.get("min_transfer_time")
                yield (
                    self.version.pk,
                    ends[0],
                    ends[1],
                    row.integer("transfer_type", low=0, high=5),
                    row.integer("min_transfer_time", low=0, high=86400) if minimum else None,
                )

        self.counts["transfers"] = self._copy(
            "mobility_transfer",
            ("version_id", "from_stop_id", "to_stop_id", "transfer_type", "min_seconds"),
            rows(),
        )

    def _service_period(self, trips) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day on which a trip runs (calendar and calendar_dates)."""
        days: set[dt.date] = set()
        for service in self.used_services:
            bits, start, end = self.calendar.get(service, (0, dt.date.max, dt.date.min))
            added, removed = self.exceptions.get(service, (set(), set()))
            days |= gtfs.service_days(bits, start, end, added, removed)
        return (min(days), max(days)) if days else (None, None)

    def _declared_end(self) -> dt.date | None:
        for row in self.feed.rows("feed_info.txt"):
            return row.date("feed_end_date") if row.get("feed_end_date") else None
        return None

    def _bar(self, rows, label: str):
        if not self.show:
            yield from rows
            return
        from tqdm import tqdm

        with tqdm(desc=f"{self.feed.name} {label}", unit=" rows", file=sys.stderr) as bar:
            for row in rows:
                bar.update()
                yield row


def _interpolate(calls) -> list[tuple[int, int, int, int, int, int]]:
    """Times for the stops of a trip that have none (non-timepoints): linear between the
    timed stops around them. The first and the last stop must have times."""
    sequences = [c[0] for c in calls]
    if len(set(sequences)) != len(sequences):
        row = calls[0][6]
        raise row.fail("stop_sequence", f"trip {row.get('trip_id')!r} repeats a stop_sequence")
    if calls[0][2] is None or calls[-1][2] is None:
        row = calls[0][6] if calls[0][2] is None else calls[-1][6]
        raise row.fail("arrival_time", "the first and last stop of a trip need times")
    out = []
    i = 0
    while i < len(calls):
        sequence, stop, arrival, departure, pickup, drop_off, row = calls[i]
        if arrival is not None:
            if out and arrival < out[-1][3]:
                raise row.fail("arrival_time", "is before the previous stop's departure")
            out.append((sequence, stop, arrival, departure, pickup, drop_off))
            i += 1
            continue
        j = i
        while calls[j][2] is None:
            j += 1
        before, after = out[-1][3], calls[j][2]
        gap = j - i + 1
        for k in range(i, j):
            at = before + (after - before) * (k - i + 1) // gap
            s, st, _a, _d, p, d, _r = calls[k]
            out.append((s, st, at, at, p, d))
        i = j
    return out
