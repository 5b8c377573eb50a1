# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of sharing (make bench), against the running stack. Figures, never pass/fail.

- GBFS poll-to-visible latency: the specification's 3.0 example feed, moved to Haldensleben and
  served by a local HTTP server, is read by the hub (fetch, validation, one transaction); then
  the tenant's sharing GeoJSON is asked until it shows the change: the time from the start of
  the poll to the first answer that shows it, over 20 rounds, each changing a station's count.
- afterwards the bench feed is removed again.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402

from hub.sharing import services  # noqa: E402
from hub.sharing.models import Feed  # noqa: E402
from tests.local_http import FilesServer, serving  # noqa: E402
from tests.sharing.gbfs_examples import feed as example_feed  # noqa: E402

HUB = settings.CONFIG["HUB_PUBLIC_URL"].rstrip("/")
ROUNDS = 20
HALDENSLEBEN = (52.2891, 11.4098)


def files(base: str, count: int) -> dict:
    out = example_feed("3.0", base)
    for n, station in enumerate(out["station_information.json"]["data"]["stations"]):
        station["lat"], station["lon"] = HALDENSLEBEN[0] + n * 0.001, HALDENSLEBEN[1]
    out["station_status.json"]["data"]["stations"][0]["num_vehicles_available"] = count
    return out


def main() -> None:
    print("Regional Data Hub — sharing benchmarks (issue 15)")
    server = FilesServer()
    feed = None
    took, polls = [], []
    try:
        with serving(server):
            feed = Feed.objects.create(
                slug="bench-gbfs", name="Bench GBFS", url=f"{server.url}/manifest.json"
            )
            url = f"{HUB}/api/v1/t/haldensleben/sharing/stationen.geojson"
            for n in range(ROUNDS):
                count = n % 3  # 0, 1, 2: within the example station's capacity
                server.publish(files(server.url, count))
                started = time.perf_counter()
                if not services.poll(feed):
                    raise SystemExit(f"the bench feed was refused: {feed.error}")
                polls.append(time.perf_counter() - started)
                while True:
                    shown = requests.get(url, timeout=30).json()["features"]
                    counts = [
                        f["properties"]["vehicles_available"]
                        for f in shown
                        if f["properties"]["system"] == "Bench GBFS"
                    ]
                    if counts and counts[0] == count:
                        break
                took.append(time.perf_counter() - started)
    finally:
        if feed is not None:
            Feed.objects.filter(pk=feed.pk).delete()
    print(
        f"GBFS 3.0 poll (fetch 9 files, validate, take) p50 {statistics.median(polls) * 1000:6.0f}"
        f" ms; poll-to-visible at the GeoJSON API p50 {statistics.median(took) * 1000:6.0f} ms,"
        f" max {max(took) * 1000:6.0f} ms over {ROUNDS} rounds (beat polls every 60 s)"
    )


if __name__ == "__main__":
    main()
