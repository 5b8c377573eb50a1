# SPDX-License-Identifier: EUPL-1.2
"""GTFS-Realtime of the feeds: polled by beat every 30 s (with back-off while a source
fails), kept in the cache (Redis) as what connectors.gtfs_rt read, and applied to departures.

A board is live data only while the feed is fresh: older than STALE (2 minutes, by the feed's
own header timestamp, else by when it was fetched) the board says so and shows the plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

import requests
from django.core.cache import cache
from django.utils import timezone

from connectors import gtfs_rt
from connectors.base import PayloadInvalid
from hub.mobility.models import Feed
from hub.mobility.selectors import Departure

log = logging.getLogger(__name__)
STALE = dt.timedelta(minutes=2)
POLL = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(minutes=10)
KEEP_SECONDS = 60 * 60
FEEDS_KEY = "hub:mobility:rt-feeds"


def _key(slug: str) -> str:
    return f"hub:mobility:rt:{slug}"


@dataclass
class State:
    realtime: gtfs_rt.Realtime | None = None
    fetched_at: dt.datetime | None = None
    failures: int = 0
    next_at: dt.datetime | None = None
    error: str = ""

    def as_of(self) -> dt.datetime | None:
        if self.realtime is None:
            return None
        return self.realtime.timestamp or self.fetched_at


def state(slug: str) -> State:
    return cache.get(_key(slug)) or State()


def poll(feed: Feed, *, now: dt.datetime | None = None, force: bool = False) -> State:
    """Fetch and read the feed's GTFS-Realtime if it is due; a failure keeps what was read
    before and waits longer each time (30 s, 60 s, … up to 10 minutes)."""
    now = now or timezone.now()
    current = state(feed.slug)
    if not feed.realtime_url or (not force and current.next_at and now < current.next_at):
        return current
    try:
        answer = requests.get(feed.realtime_url, timeout=10, stream=True)
        answer.raise_for_status()
        data = answer.raw.read(gtfs_rt.MAX_BYTES + 1, decode_content=True)
        read = gtfs_rt.parse(data)
    except (requests.RequestException, PayloadInvalid) as exc:
        failures = current.failures + 1
        wait = min(POLL * 2 ** (failures - 1), MAX_BACKOFF)
        current = dataclasses.replace(
            current, failures=failures, next_at=now + wait, error=str(exc)[:300]
        )
        log.warning("GTFS-RT of %s: %s (next try in %s)", feed.slug, exc, wait)
    else:
        current = State(read, now, 0, now + POLL, "")
    cache.set(_key(feed.slug), current, KEEP_SECONDS)
    known = cache.get(FEEDS_KEY)
    if known is not None and feed.slug not in known:
        cache.delete(FEEDS_KEY)
    return current


def fresh(slug: str, *, now: dt.datetime | None = None) -> gtfs_rt.Realtime | None:
    """The feed's live data if it is fresh (at most STALE old), else None."""
    current = state(slug)
    as_of = current.as_of()
    if as_of is None or (now or timezone.now()) - as_of > STALE:
        return None
    return current.realtime


def _realtime_feeds() -> list[str]:
    """The feeds that have GTFS-Realtime, kept a minute in the cache (no query per board); a
    poll of a feed not in it clears it."""
    slugs = cache.get(FEEDS_KEY)
    if slugs is None:
        slugs = list(Feed.objects.exclude(realtime_url="").values_list("slug", flat=True))
        cache.set(FEEDS_KEY, slugs, 60)
    return slugs


def alerts(*, stops=(), routes=(), now: dt.datetime | None = None) -> list[dict]:
    """The fresh ServiceAlerts of every feed that name one of these stops or routes (each once;
    an alert for the whole agency, naming neither, is shown everywhere)."""
    stops, routes = set(stops), set(routes)
    out, seen = [], set()
    for slug in _realtime_feeds():
        live = fresh(slug, now=now)
        for alert in live.alerts if live else ():
            general = not alert["stops"] and not alert["routes"]
            if general or stops & set(alert["stops"]) or routes & set(alert["routes"]):
                key = (alert["header"], alert["description"])
                if key not in seen:
                    seen.add(key)
                    out.append({**alert, "feed": slug})
    return out


def vehicles(feed: str, *, routes=(), trips=(), now: dt.datetime | None = None) -> list[dict]:
    """The feed's fresh VehiclePositions of these routes or trips."""
    live = fresh(feed, now=now)
    if live is None:
        return []
    routes, trips = set(routes), set(trips)
    return [v for v in live.vehicles if v["route_id"] in routes or v["trip_id"] in trips]


@dataclass(frozen=True)
class Live:
    departure: Departure
    expected: dt.datetime | None  # None: no live data for it
    delay: int | None  # seconds
    cancelled: bool


def apply(departures: list[Departure], *, now: dt.datetime | None = None):
    """The departures with their live state, and per feed (slug) when its data is from and
    whether it is stale (None: the feed has no realtime)."""
    now = now or timezone.now()
    with_realtime = set(_realtime_feeds())
    states = {slug: state(slug) for slug in {d.feed for d in departures} & with_realtime}
    fresh = {}
    for slug, current in states.items():
        as_of = current.as_of()
        fresh[slug] = None if as_of is None else (as_of, now - as_of > STALE)
    out = []
    for d in departures:
        info = fresh.get(d.feed)
        trip = None
        if info is not None and not info[1] and d.day is not None:
            trip = states[d.feed].realtime.state(d.trip_id, d.day)
        if trip is None:
            out.append(Live(d, None, None, False))
            continue
        delay, cancelled = trip.at(d.sequence, d.stop_id)
        expected = d.planned + dt.timedelta(seconds=delay) if delay is not None else d.planned
        out.append(Live(d, expected, delay, cancelled))
    return out, fresh
