# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of the mobility centre (make bench), against the running stack. Figures and
ratios to issue 14's targets, never pass/fail.

- import + validation + timetable build of both real feeds (../shared/data/gtfs), each into a
  fresh feed inside a transaction that is rolled back (the stack keeps what it had);
- departures at the HTTP API: 200 boards of random stations at random times of a weekday in
  the service period (2026-12-08), p50/p95;
- what the web service's RSS grows by over those boards (the mobility code runs in it).

- reading a 3,000-entity TripUpdates feed and applying it to a board;
- journeys at the HTTP API: 200 random station pairs and 200 random pairs of the address
  register's houses at random morning times of a weekday on which both feeds run fully
  (2026-06-10), p50/p95, after each web worker built the day's network (its time printed);
- where a Java 21+ is present, OpenTripPlanner 2.8.1 on the merged regional feed with the
  same stop-to-stop queries, and the ratio.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from hub.core.errors import HubError  # noqa: E402
from hub.mobility import services  # noqa: E402
from hub.mobility.models import Feed, Stop  # noqa: E402
from hub.mobility.selectors import live_versions  # noqa: E402

HUB = settings.CONFIG["HUB_PUBLIC_URL"].rstrip("/")
GTFS = Path(settings.HUB_DATA_DIR) / "gtfs"
FEEDS = (("boerdebus.zip", "Börde"), ("mvb_magdeburg.zip", "MVB"))
QUERIES = 200
SEED = 20261208
DAY = "2026-12-08"


class Rollback(Exception):
    pass


def import_seconds() -> dict[str, float]:
    """Seconds to validate and build each feed, as a new feed, rolled back afterwards."""
    took = {}
    for file, label in FEEDS:
        data = (GTFS / file).read_bytes()
        started = time.perf_counter()
        try:
            with transaction.atomic():
                feed = Feed.objects.create(
                    slug=f"bench-{label.lower()}",
                    name=label,
                    source=file,
                    licence="CC-BY-4.0",
                    attribution="NASA GmbH",
                )
                services.import_feed(feed, data, progress=False)
                took[label] = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
    return took


def web_rss() -> int:
    pid = int((Path(settings.STATE_DIR) / "run" / "web.pid").read_text().split()[0])
    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])


def boards() -> list[float]:
    rng = random.Random(SEED)
    stations = sorted(
        set(Stop.objects.filter(version__in=live_versions()).values_list("station", flat=True))
    )
    session = requests.Session()
    times = []
    for i in range(QUERIES + 20):
        station = rng.choice(stations)
        at = f"{DAY}T{rng.randint(5, 21):02d}:{rng.randint(0, 59):02d}:00+01:00"
        started = time.perf_counter()
        answer = session.get(
            f"{HUB}/api/v1/mobilitaet/abfahrten/{station}", params={"at": at}, timeout=30
        )
        took = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        if i >= 20:  # the first ones warm the workers
            times.append(took)
    return sorted(times)


JOURNEY_DAY = dt.date(2026, 6, 10)


def journey_queries() -> dict[str, list[tuple[str, str, str]]]:
    """The same seeded random (from, to, at) for every engine: station pairs, house pairs."""
    from hub.geo.models import Address

    rng = random.Random(SEED)
    stations = sorted(
        set(Stop.objects.filter(version__in=live_versions()).values_list("station", flat=True))
    )
    houses = [a.label for a in Address.objects.order_by("id")]
    out = {}
    for label, places in (("stop-to-stop", stations), ("address-to-address", houses)):
        out[label] = [
            (
                *rng.sample(places, 2),
                f"{JOURNEY_DAY}T{rng.randint(5, 11):02d}:{rng.randint(0, 59):02d}:00+02:00",
            )
            for _ in range(QUERIES + 20)
        ]
    return out


def journeys(queries):
    """(label, target ms, sorted times) at the hub's HTTP API."""
    session = requests.Session()
    out = []
    for label, target in (("stop-to-stop", 30), ("address-to-address", 60)):
        times = []
        for i, (start, end, at) in enumerate(queries[label]):
            started = time.perf_counter()
            answer = session.get(
                f"{HUB}/api/v1/mobilitaet/verbindungen",
                params={"von": start, "nach": end, "zeit": at},
                timeout=60,
            )
            took = (time.perf_counter() - started) * 1000
            if answer.status_code != 400:  # two houses at one place: "derselbe Ort"
                answer.raise_for_status()
            if i >= 20:  # the first ones let every web worker build the day's network
                times.append(took)
        out.append((label, target, sorted(times)))
    return out


def otp_times(queries) -> tuple[list[float], float] | None:
    """OpenTripPlanner 2.8.1 on the merged feed, the same stop-to-stop queries through the
    hub's OTP backend (None where there is no Java 21+); and OTP's RSS in MiB."""
    from hub.mobility import export
    from hub.mobility.journeys import planner
    from hub.mobility.journeys.otp import Otp
    from tests.mobility import otp_local

    if otp_local.java() is None:
        return None
    with otp_local.running(export.merged().read_bytes()) as (url, process):
        engine = Otp(url)
        times = []
        for i, (start, end, at) in enumerate(queries["stop-to-stop"]):
            when = dt.datetime.fromisoformat(at)
            started = time.perf_counter()
            with contextlib.suppress(HubError):  # the same refusals as at the hub's API
                planner.plan(start, end, when, using=engine)
            if i >= 20:  # OTP warms up too
                times.append((time.perf_counter() - started) * 1000)
        rss = psutil.Process(process.pid).memory_info().rss / 2**20
    return sorted(times), rss


def realtime_apply_ms() -> float:
    """Read a 3,000-entity TripUpdates feed (built from live trips), keep it in the cache as a
    poll does, and read it back and apply it to a board of 100 departures (median of 5)."""
    from google.transit import gtfs_realtime_pb2 as rt

    from connectors import gtfs_rt
    from hub.mobility import realtime, selectors
    from hub.mobility.models import Trip

    trips = list(
        Trip.objects.filter(version__in=live_versions()).values_list("trip_id", flat=True)[:3000]
    )
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(time.time())
    for i, trip in enumerate(trips):
        entity = message.entity.add(id=str(i))
        entity.trip_update.trip.trip_id = trip
        entity.trip_update.trip.start_date = DAY.replace("-", "")
        entity.trip_update.stop_time_update.add(stop_sequence=0).departure.delay = 60 * (i % 7)
    data = message.SerializeToString()
    where = selectors.place("de:15083:1555")
    board = selectors.departures(
        where.stop_ids, dt.datetime(2026, 12, 8, 7, tzinfo=ZoneInfo("Europe/Berlin")), limit=100
    )
    rounds = []
    for _ in range(6):  # the first warms the cache connection; the median of the rest
        started = time.perf_counter()
        realtime.cache.set(realtime._key("bench"), realtime.State(gtfs_rt.parse(data), None), 60)
        read = realtime.cache.get(realtime._key("bench")).realtime  # as a board reads it
        for d in board:
            trip = read.state(d.trip_id, d.day)
            if trip is not None:
                trip.at(d.sequence, d.stop_id)
        rounds.append((time.perf_counter() - started) * 1000)
    realtime.cache.delete(realtime._key("bench"))
    took = statistics.median(rounds[1:])
    return took, len(trips), len(data)


def main() -> None:
    print("Regional Data Hub — mobility benchmarks (issue 14)")
    if not live_versions().exists():
        print("no live timetable: run `make up` (it imports the feeds) first")
        return
    took = import_seconds()
    total = sum(took.values())
    for label, seconds in took.items():
        print(f"import + validation + build, {label:5}: {seconds:6.2f} s")
    print(
        f"both feeds:                         {total:6.2f} s"
        f"   target ≤ 10 s   ratio {total / 10:.2f}"
    )
    before = web_rss()
    times = boards()
    after = web_rss()
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    print(
        f"departures at the HTTP API ({len(times)} boards): p50 {p50:5.1f} ms  p95 {p95:5.1f} ms"
        f"   target p95 ≤ 20 ms   ratio {p95 / 20:.2f}"
    )
    grown = (after - before) / 2**20
    print(
        f"web RSS over those boards: {before / 2**20:.0f} → {after / 2**20:.0f} MiB (+{grown:.0f})"
        "   target for the mobility parts ≤ 150 MiB"
    )
    took, entities, size = realtime_apply_ms()
    print(
        f"GTFS-RT: read {entities:,} TripUpdates ({size / 1024:.0f} KiB) and apply to a board:"
        f" {took:5.1f} ms   target ≤ 100 ms   ratio {took / 100:.2f}"
    )
    from hub.mobility.journeys import network

    started = time.perf_counter()
    built = network.build_day(JOURNEY_DAY, network.live_version_ids())
    print(
        f"journey network of {JOURNEY_DAY} ({len(built.trips):,} trips,"
        f" {len(built.network.patterns)} patterns): built in"
        f" {time.perf_counter() - started:.2f} s per web worker, once a day"
    )
    queries = journey_queries()
    hub_p95 = {}
    for label, target, times in journeys(queries):
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        hub_p95[label] = p95
        print(
            f"journeys {label} at the HTTP API ({len(times)}): p50 {p50:5.1f} ms"
            f"  p95 {p95:5.1f} ms   target p95 ≤ {target} ms   ratio {p95 / target:.2f}"
        )
    final = web_rss()
    print(
        f"web RSS after boards and journeys: {before / 2**20:.0f} → {final / 2**20:.0f} MiB"
        f" (+{(final - before) / 2**20:.0f})   target for the mobility parts ≤ 150 MiB"
    )
    from hub.mobility import export, validation

    started = time.perf_counter()
    merged = export.build()
    built_s = time.perf_counter() - started
    validation.validate(merged, name="regional")
    print(
        f"merged regional feed: built in {built_s:.2f} s ({len(merged) / 2**20:.1f} MiB),"
        f" validated in {time.perf_counter() - started - built_s:.2f} s"
    )
    measured = otp_times(queries)
    if measured is None:
        print("OpenTripPlanner: no Java 21+ here, no ratio")
    else:
        times, rss = measured
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        print(
            f"OpenTripPlanner 2.8.1, the same stop-to-stop queries ({len(times)}): p50 {p50:5.1f}"
            f" ms  p95 {p95:5.1f} ms, RSS {rss:.0f} MiB   OTP p95 / hub p95:"
            f" {p95 / hub_p95['stop-to-stop']:.1f} (goal ≥ 10)"
        )


if __name__ == "__main__":
    main()
