# SPDX-License-Identifier: EUPL-1.2
"""Writes of the mobility centre: importing a GTFS feed as a new version, validated first and
switched live atomically.

`import_feed()` refuses a feed the validator finds errors in (the notices are kept on a refused
version and named in the error) and leaves the live timetable as it was. A feed that passes is
loaded with COPY beside the live version, and the feed's `live` pointer moves to it in the same
transaction: a reader sees the old timetable or the new one. The same bytes again change
nothing. Of the versions replaced, the newest is kept (to compare), older ones are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from connectors import gtfs
from connectors.base import PayloadInvalid
from hub.core.errors import Invalid
from hub.core.imports import ImportRefused, safe_zip
from hub.mobility import validation
from hub.mobility.models import Feed, FeedVersion

log = logging.getLogger(__name__)
MAX_FEED_BYTES = 200 * 2**20  # a zip; Germany's whole feed (DELFI) packs to ~190 MB
MAX_UNPACKED = 2 * 2**30
KEEP_REPLACED = 1


@dataclass
class Outcome:
    version: FeedVersion
    changed: bool  # False: the same bytes as the live version
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def import_feed(
    feed: Feed, data: bytes, *, progress: bool | None = None, today: dt.date | None = None
) -> Outcome:
    """Validate `data` (a GTFS zip) and make it the feed's live version."""
    started = timezone.now()
    if len(data) > MAX_FEED_BYTES:
        raise Invalid(f"{feed.slug}: the feed is larger than {MAX_FEED_BYTES // 2**20} MiB")
    digest = hashlib.sha256(data).hexdigest()
    if feed.live_id and feed.live.sha256 == digest:
        return Outcome(feed.live, changed=False)
    archive = safe_zip(data, name=feed.slug, max_bytes=MAX_UNPACKED)
    try:
        reader = gtfs.Feed(archive, feed.slug)
    except PayloadInvalid as exc:
        raise ImportRefused(str(exc)) from None
    notices = validation.validate(data, name=feed.slug)
    errors = [n for n in notices if n.severity == validation.ERROR]
    if errors:
        FeedVersion.objects.create(
            feed=feed,
            sha256=digest,
            state=FeedVersion.State.REFUSED,
            notices=validation.dump(notices),
        )
        listed = "; ".join(n.text() for n in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportRefused(
            f"{feed.slug}: the validator found {len(errors)} error(s), the live timetable stays: "
            f"{listed}{more}"
        )
    try:
        with transaction.atomic():
            version = FeedVersion.objects.create(
                feed=feed,
                sha256=digest,
                state=FeedVersion.State.LIVE,
                notices=validation.dump(notices),
            )
            counts = Loader(version, reader, progress=progress).load()
            locked = Feed.objects.select_for_update().get(pk=feed.pk)
            previous = locked.live_id
            locked.live = version
            locked.save(update_fields=["live"])
            if previous:
                FeedVersion.objects.filter(pk=previous).update(state=FeedVersion.State.REPLACED)
    except PayloadInvalid as exc:
        raise ImportRefused(f"{feed.slug}: {exc}") from None
    feed.refresh_from_db()
    drop_replaced(feed)
    seconds = (timezone.now() - started).total_seconds()
    log.info("feed %s: version %s live (%s) in %.1f s", feed.slug, version.pk, counts, seconds)
    return Outcome(version, changed=True, seconds=seconds, counts=counts)


def import_source(feed: Feed, *, progress: bool | None = None) -> Outcome | None:
    """Read the feed from its configured source and import it; None when its URL answers
    304 Not Modified."""
    return import_from(feed, feed.source, progress=progress, conditional=True)


def import_from(
    feed: Feed, source: str, *, progress: bool | None = None, conditional: bool = False
) -> Outcome | None:
    """Import the feed from `source`: a path (below HUB_DATA_DIR when relative) or a URL
    (with If-None-Match / If-Modified-Since when `conditional`)."""
    if source.startswith(("https://", "http://")):
        data = _fetch(feed, source, conditional=conditional)
        if data is None:
            return None
    else:
        path = Path(source)
        if not path.is_absolute():
            path = Path(settings.HUB_DATA_DIR) / path
        if not path.is_file():
            raise Invalid(f"{feed.slug}: the source {path} is not a file")
        if path.stat().st_size > MAX_FEED_BYTES:
            raise Invalid(f"{feed.slug}: {path} is larger than {MAX_FEED_BYTES // 2**20} MiB")
        data = path.read_bytes()
    outcome = import_feed(feed, data, progress=progress)
    Feed.objects.filter(pk=feed.pk).update(checked_at=timezone.now())
    return outcome


def _fetch(feed: Feed, url: str, *, conditional: bool) -> bytes | None:
    import requests

    headers = {}
    if conditional and feed.etag:
        headers["If-None-Match"] = feed.etag
    if conditional and feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = requests.get(url, headers=headers, timeout=60, stream=True)
    except requests.RequestException as exc:
        raise Invalid(f"{feed.slug}: {url} did not answer ({exc})") from None
    with response:
        if response.status_code == 304:
            Feed.objects.filter(pk=feed.pk).update(checked_at=timezone.now())
            return None
        if response.status_code != 200:
            raise Invalid(f"{feed.slug}: {url} answered {response.status_code}")
        chunks, size = [], 0
        for chunk in response.iter_content(1 << 20):
            size += len(chunk)
            if size > MAX_FEED_BYTES:
                raise Invalid(f"{feed.slug}: the feed is larger than {MAX_FEED_BYTES // 2**20} MiB")
            chunks.append(chunk)
        Feed.objects.filter(pk=feed.pk).update(
            etag=response.headers.get("ETag", "")[:200],
            last_modified=response.headers.get("Last-Modified", "")[:100],
        )
        return b"".join(chunks)


def drop_replaced(feed: Feed, keep: int = KEEP_REPLACED) -> int:
    """Delete the timetables of replaced versions but the newest `keep` (a refused version
    holds no timetable and stays as a record)."""
    replaced = list(
        FeedVersion.objects.filter(feed=feed, state=FeedVersion.State.REPLACED)
        .order_by("-imported_at")
        .values_list("pk", flat=True)
    )[keep:]
    if not replaced:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (
            "mobility_stoptime",
            "mobility_transfer",
            "mobility_trip",
            "mobility_route",
            "mobility_stop",
            "mobility_service",
            "mobility_servicedate",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE version_id = ANY(%s)", [replaced])  # noqa: S608 - the names are the code's
        FeedVersion.objects.filter(pk__in=replaced).delete()
    return len(replaced)


# -- loading ----------------------------------------------------------------------------------


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
            first, last = self._service_period(trips)
            declared = self._declared_end()
            # Fresh rows: without statistics the planner guesses the boards' joins wrong.
            cursor.execute(
                "ANALYZE mobility_stop, mobility_stoptime, mobility_trip, mobility_route,"
                " mobility_service, mobility_servicedate"
            )
        FeedVersion.objects.filter(pk=self.version.pk).update(
            counts=self.counts,
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
        zones = set()
        for row in self.feed.rows("agency.txt"):
            self.agencies[row.get("agency_id")] = row.need("agency_name")
            zones.add(row.need("agency_timezone"))
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


# -- the end of service -------------------------------------------------------------------------

WARN_DAYS = 60


def served_tenants(version: FeedVersion):
    """The active tenants with stops of this version in their area."""
    from hub.mobility.models import Stop
    from hub.tenancy.selectors import active_tenants

    stops = Stop.objects.filter(version=version)
    return [
        t
        for t in active_tenants().exclude(boundary=None)
        if stops.filter(point__within=t.boundary).exists()
    ]


def admin_addresses(tenant) -> list[str]:
    """Whom a tenant's service-end warning goes to: its tenant admins, else its contact."""
    from hub.tenancy.context import system_context
    from hub.tenancy.models import Membership, Role

    with system_context():
        mails = sorted(
            set(
                Membership.objects.filter(tenant=tenant, role=Role.TENANT_ADMIN)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
    contact = (tenant.contact or {}).get("email")
    return mails or ([contact] if contact else [])


def warn_service_end(today: dt.date | None = None) -> list[str]:
    """Mail the tenants a live feed serves, once, when its service ends within WARN_DAYS days:
    the feed needs a new version before then. Returns the addresses written to."""
    from django.utils.formats import date_format

    from hub.core.mail import send_later
    from hub.mobility.selectors import live_versions

    today = today or timezone.localdate()
    sent: list[str] = []
    for version in live_versions().filter(end_warned_at=None).exclude(last_day=None):
        left = (version.last_day - today).days
        if left > WARN_DAYS:
            continue
        end = date_format(version.last_day, "d.m.Y")
        for tenant in served_tenants(version):
            for address in admin_addresses(tenant):
                send_later(
                    f"Fahrplandaten {version.feed.name} enden am {end}",
                    f"Guten Tag,\n\nder Fahrplan {version.feed.name} im Regionalen Datenhub hat "
                    f"Fahrten nur bis zum {end} (noch {max(left, 0)} Tage). Danach zeigen "
                    f"Abfahrtstafeln und Verbindungssuche für {tenant.display_name} nichts mehr "
                    "an.\n\nBitte sorgen Sie dafür, dass eine neue Fahrplanversion eingespielt "
                    f"wird (Quelle: {version.feed.source}).\n\n-- Regionaler Datenhub",
                    address,
                )
                sent.append(address)
        FeedVersion.objects.filter(pk=version.pk).update(end_warned_at=timezone.now())
    return sent


def service_end_notes(today: dt.date | None = None) -> list[str]:
    """For /healthz and the admin: each live feed whose service ends within WARN_DAYS days."""
    from hub.mobility.selectors import live_versions

    today = today or timezone.localdate()
    notes = []
    for version in live_versions().exclude(last_day=None).order_by("last_day"):
        left = (version.last_day - today).days
        if left <= WARN_DAYS:
            notes.append(
                f"{version.feed.slug}: service ends {version.last_day.isoformat()} ({left} days)"
                if left >= 0
                else f"{version.feed.slug}: service ended {version.last_day.isoformat()}"
            )
    return notes
