# SPDX-License-Identifier: EUPL-1.2
"""The oracle for journey planning: the Connection Scan Algorithm (Dibbelt, Pajor, Strasser,
Wagner 2013) with a label per number of rides, on connections read straight from the feeds'
zip files (csv, calendar and calendar_dates by hand) -- nothing of the hub's import, patterns or
RAPTOR. It shares only the rules for changing (the same stop, footpaths), which are data: the
change seconds per stop and the footpaths, keyed by stop_id.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
INF = float("inf")


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))


def _seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.strip().split(":"))
    return h * 3600 + m * 60 + s


def connections(zips: list[Path], day: dt.date) -> list[tuple[int, int, str, str, str]]:
    """(departure, arrival, from stop, to stop, trip) of every trip running on `day` or the day
    before, unix seconds, sorted by departure; boarding and alighting rules applied."""
    out = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            calendar = {c["service_id"]: c for c in _table(archive, "calendar.txt")}
            exceptions = {
                (d["service_id"], d["date"]): d["exception_type"]
                for d in _table(archive, "calendar_dates.txt")
            }
            trips = {t["trip_id"]: t["service_id"] for t in _table(archive, "trips.txt")}
            calls = defaultdict(list)
            for row in _table(archive, "stop_times.txt"):
                calls[row["trip_id"]].append(row)

        def runs(service: str, on: dt.date, calendar=calendar, exceptions=exceptions) -> bool:
            kind = exceptions.get((service, on.strftime("%Y%m%d")))
            if kind is not None:
                return kind == "1"
            c = calendar.get(service)
            if c is None:
                return False
            inside = c["start_date"] <= on.strftime("%Y%m%d") <= c["end_date"]
            return inside and c[WEEKDAYS[on.weekday()]] == "1"

        for service_day in (day - dt.timedelta(days=1), day):
            noon = dt.datetime.combine(service_day, dt.time(12), BERLIN)
            origin = int((noon - dt.timedelta(hours=12)).timestamp())
            for trip, rows in calls.items():
                if not runs(trips[trip], service_day):
                    continue
                rows.sort(key=lambda r: int(r["stop_sequence"]))
                key = f"{path.name}/{trip}/{service_day}"
                for a, b in itertools.pairwise(rows):
                    out.append(
                        (
                            origin + _seconds(a["departure_time"]),
                            origin + _seconds(b["arrival_time"]),
                            a["stop_id"],
                            b["stop_id"],
                            key,
                            a.get("pickup_type", "") != "1",
                            b.get("drop_off_type", "") != "1",
                        )
                    )
    out.sort(key=lambda c: (c[0], c[1]))
    return out


def earliest(
    conns,
    source: str,
    target: str,
    leave: int,
    *,
    change: dict[str, int],
    walks: dict[str, list[tuple[str, int]]],
    max_rides: int,
    horizon: int,
) -> dict[int, int]:
    """Rides -> the earliest arrival at `target` with at most that many rides, leaving
    `source` at `leave`, using connections that depart before `leave + horizon`."""
    # ready[k][stop]: when one can board there after k rides; trip_level[trip]: the fewest
    # rides with which one is on that trip.
    ready = [defaultdict(lambda: INF) for _ in range(max_rides + 1)]
    ready[0][source] = leave
    arrival = [INF] * (max_rides + 1)
    on_trip: dict[str, int] = {}
    end = leave + horizon
    start = _first_at_or_after(conns, leave)
    for n in range(start, len(conns)):
        dep, arr, a, b, trip, pickup, drop = conns[n]
        if dep >= end:
            break
        level = on_trip.get(trip)
        if pickup:
            for k in range(1, max_rides + 1 if level is None else level):
                if ready[k - 1][a] <= dep:
                    level = on_trip[trip] = k
                    break
        if level is None or not drop:
            continue
        for k in range(level, max_rides + 1):
            ready[k][b] = min(ready[k][b], arr + change.get(b, 0))
            for other, seconds in walks.get(b, ()):
                ready[k][other] = min(ready[k][other], arr + seconds)
            if b == target and arr < arrival[k]:
                arrival[k] = arr
    return {k: int(a) for k, a in enumerate(arrival) if a < INF}


def _first_at_or_after(conns, leave: int) -> int:
    lo, hi = 0, len(conns)
    while lo < hi:
        mid = (lo + hi) // 2
        if conns[mid][0] < leave:
            lo = mid + 1
        else:
            hi = mid
    return lo
