# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of the mobility centre (make bench), against the running stack. Figures and
ratios to issue 14's targets, never pass/fail.

- import + validation + timetable build of both real feeds (../shared/data/gtfs), each into a
  fresh feed inside a transaction that is rolled back (the stack keeps what it had);
- departures at the HTTP API: 200 boards of random stations at random times of a weekday in
  the service period (2026-12-08), p50/p95;
- what the web service's RSS grows by over those boards (the mobility code runs in it).

Journey planning and GTFS-Realtime are not built yet: their rows say so.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

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
    print("journey planning (stop-to-stop, address-to-address), GTFS-RT apply, OTP: not built yet")


if __name__ == "__main__":
    main()
