# SPDX-License-Identifier: EUPL-1.2
"""RAPTOR (Delling, Pajor, Werneck: "Round-Based Public Transit Routing", 2012) over one
window of the merged timetable: round k finds the earliest arrival with k rides, so the rounds
are the Pareto set of arrival time and number of changes.

Pure Python, no Django: a `Network` holds stops as integers, trips grouped into patterns (the
same stops in the same order, none overtaking another, so every column of departures is
sorted), footpaths and the time needed to change at a stop. Times are unix seconds. Arrive-by
searches run the same code on the reversed network (times negated, patterns turned round).

The rules every engine here keeps (and the oracle in tests/mobility/oracle.py checks):
- changing vehicles at the same stop takes `change[stop]` seconds; walking to another stop
  takes the footpath's seconds, and then the next ride may leave at once;
- at most one walk between two rides (footpaths are not chained);
- a ride boards where pickup is allowed and alights where drop-off is allowed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

INF = 1 << 62


@dataclass
class Pattern:
    stops: list[int]
    pickup: list[bool]
    drop: list[bool]
    trips: list[int]  # trip instance ids, in departure order
    dep: list[list[int]]  # dep[position][trip]: each column sorted
    arr: list[list[int]]


@dataclass
class Network:
    stops: list[str]  # index -> stop_id
    patterns: list[Pattern]
    serves: list[list[tuple[int, int]]]  # stop -> (pattern, position)
    walks: list[list[tuple[int, int]]]  # stop -> (other stop, seconds)
    change: list[int]  # seconds to change vehicles at the stop
    index: dict[str, int] = field(default_factory=dict)
    _reverse: Network | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {s: i for i, s in enumerate(self.stops)}

    def reversed(self) -> Network:
        """The same network run backwards in time: what arrive-by searches walk through."""
        if self._reverse is None:
            patterns = []
            for p in self.patterns:
                n = len(p.stops)
                patterns.append(
                    Pattern(
                        stops=p.stops[::-1],
                        pickup=p.drop[::-1],
                        drop=p.pickup[::-1],
                        trips=p.trips[::-1],
                        dep=[[-t for t in reversed(p.arr[n - 1 - i])] for i in range(n)],
                        arr=[[-t for t in reversed(p.dep[n - 1 - i])] for i in range(n)],
                    )
                )
            walks: list[list[tuple[int, int]]] = [[] for _ in self.stops]
            for s, out in enumerate(self.walks):
                for other, seconds in out:
                    walks[other].append((s, seconds))
            self._reverse = Network(
                self.stops, patterns, _serves(patterns, len(self.stops)), walks, self.change
            )
            self._reverse._reverse = self
        return self._reverse


def _serves(patterns: list[Pattern], n: int) -> list[list[tuple[int, int]]]:
    serves: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for p, pattern in enumerate(patterns):
        for i, s in enumerate(pattern.stops):
            serves[s].append((p, i))
    return serves


def build(
    stops: list[str],
    trips: list[tuple[int, list[tuple[int, int, int, bool, bool]]]],
    walks: list[list[tuple[int, int]]],
    change: list[int],
) -> Network:
    """The network of these trip instances: (id, [(stop, arrival, departure, pickup, drop)])
    with their calls in order. Trips with the same calls form a pattern; one that would overtake
    another goes into a pattern of its own (so every column stays sorted)."""
    groups: dict[tuple, list[tuple[int, list]]] = {}
    for trip, calls in trips:
        if len(calls) < 2:
            continue
        key = tuple((c[0], c[3], c[4]) for c in calls)
        groups.setdefault(key, []).append((trip, calls))
    patterns: list[Pattern] = []
    for key, members in groups.items():
        members.sort(key=lambda m: (m[1][0][2], m[1][-1][1]))
        lanes: list[list[tuple[int, list]]] = []
        for member in members:
            for lane in lanes:
                last = lane[-1][1]
                if all(c[1] >= p[1] and c[2] >= p[2] for c, p in zip(member[1], last, strict=True)):
                    lane.append(member)
                    break
            else:
                lanes.append([member])
        for lane in lanes:
            n = len(key)
            patterns.append(
                Pattern(
                    stops=[k[0] for k in key],
                    pickup=[k[1] for k in key],
                    drop=[k[2] for k in key],
                    trips=[m[0] for m in lane],
                    dep=[[m[1][i][2] for m in lane] for i in range(n)],
                    arr=[[m[1][i][1] for m in lane] for i in range(n)],
                )
            )
    return Network(stops, patterns, _serves(patterns, len(stops)), walks, change)


@dataclass(frozen=True)
class Ride:
    pattern: int
    trip: int  # position in the pattern's trips
    board: int  # position in the pattern's stops
    alight: int


@dataclass(frozen=True)
class Walk:
    start: int  # stop
    end: int
    seconds: int


@dataclass
class Found:
    """A journey as the engine found it: from a source stop to a target stop."""

    rides: int
    source: int
    target: int
    legs: list[Ride | Walk]  # in travel order, between source and target


def search(  # noqa: PLR0912, PLR0915 -- the hot loop stays in one frame, for speed
    net: Network,
    sources: dict[int, int],
    targets: dict[int, int],
    *,
    max_rides: int = 6,
    banned: set[int] | frozenset[int] = frozenset(),
) -> list[Found]:
    """The Pareto set (arrival, rides) from `sources` (stop -> time one can board there) to
    `targets` (stop -> seconds from it to the destination), never boarding a trip instance in
    `banned` (cancelled). On a reversed network times are negated and the legs come back in
    its order: `turn` makes them a journey of the forward network."""
    n = len(net.stops)
    # best: the earliest arrival by a ride (a walk's arrival does not count: it may not be
    # followed by another walk, so it does not beat a later ride to the same stop).
    best = [INF] * n
    ready = [INF] * n
    ready_round = [0] * n
    reach: list[dict[int, tuple[int, int]]] = [{}]  # round -> stop -> (walked from, seconds)
    rode: list[dict[int, tuple[int, int, int, int, int, int]]] = [{}]
    for s, t in sources.items():
        if t < ready[s]:
            ready[s] = best[s] = t
            reach[0][s] = (-1, 0)
    marked = set(reach[0])
    target_best = INF
    answers: list[tuple[int, int]] = []  # (round, target)
    patterns = net.patterns
    serves = net.serves
    for k in range(1, max_rides + 1):
        queue: dict[int, int] = {}
        for s in marked:
            for p, i in serves[s]:
                if queue.get(p, INF) > i:
                    queue[p] = i
        if not queue:
            break
        rides: dict[int, tuple[int, int, int, int, int, int]] = {}
        for p, start in queue.items():
            pattern = patterns[p]
            stops = pattern.stops
            dep = pattern.dep
            arr = pattern.arr
            drop = pattern.drop
            pickup = pattern.pickup
            trip = -1
            board = -1
            board_round = 0
            for i in range(start, len(stops)):
                s = stops[i]
                if trip >= 0 and drop[i]:
                    a = arr[i][trip]
                    if a < best[s] and a < target_best:
                        best[s] = a
                        rides[s] = (a, p, trip, board, i, board_round)
                r = ready[s]
                if r < INF and pickup[i]:
                    column = dep[i]
                    if trip < 0:
                        limit = len(column)
                        j = bisect_left(column, r)
                    elif r <= column[trip]:
                        limit = trip
                        j = bisect_left(column, r, 0, trip)
                    else:
                        continue
                    if banned:
                        while j < limit and pattern.trips[j] in banned:
                            j += 1
                    if j < limit:
                        trip, board, board_round = j, i, ready_round[s]
        marked = set()
        walked: dict[int, tuple[int, int]] = {}
        for s, ride in rides.items():
            at = ride[0] + net.change[s]
            if at < ready[s]:
                ready[s] = at
                ready_round[s] = k
                walked[s] = (-1, 0)
                marked.add(s)
        for s, ride in rides.items():
            for other, seconds in net.walks[s]:
                at = ride[0] + seconds
                if at < ready[other] and at < target_best:
                    ready[other] = at
                    ready_round[other] = k
                    walked[other] = (s, seconds)
                    marked.add(other)
        reach.append(walked)
        rode.append(rides)
        improved = -1
        for s, egress in targets.items():
            ride = rides.get(s)
            if ride is not None and ride[0] + egress < target_best:
                target_best = ride[0] + egress
                improved = s
        if improved >= 0:
            answers.append((k, improved))
    return [_unwind(net, rode, reach, k, s) for k, s in answers]


def _unwind(net: Network, rode, reach, k: int, s: int) -> Found:
    legs: list[Ride | Walk] = []
    target = s
    while True:
        _, p, trip, board, alight, board_round = rode[k][s]
        legs.append(Ride(p, trip, board, alight))
        at = net.patterns[p].stops[board]
        came_from, seconds = reach[board_round][at]
        if board_round == 0:
            source = at
            break
        if came_from >= 0:
            legs.append(Walk(came_from, at, seconds))
            s = came_from
        else:
            s = at
        k = board_round
    legs.reverse()
    rides = sum(1 for leg in legs if isinstance(leg, Ride))
    return Found(rides, source, target, legs)


def tighten_departures(
    net: Network, found: Found, arrive: int, banned: set[int] | frozenset[int] = frozenset()
) -> Found:
    """Leave as late as the journey allows: from the last ride back, each ride takes the
    latest trip of its pattern that still makes the next step (the earliest-arrival search
    takes the first bus that gets there, even if it means waiting at a change)."""
    legs = list(found.legs)
    latest = arrive
    for n in range(len(legs) - 1, -1, -1):
        leg = legs[n]
        if isinstance(leg, Walk):
            latest -= leg.seconds
            continue
        pattern = net.patterns[leg.pattern]
        column = pattern.arr[leg.alight]
        trip = max(leg.trip, bisect_right(column, latest) - 1)
        while trip > leg.trip and pattern.trips[trip] in banned:
            trip -= 1
        legs[n] = Ride(leg.pattern, trip, leg.board, leg.alight)
        latest = pattern.dep[leg.board][trip]
        previous = legs[n - 1] if n > 0 else None
        if isinstance(previous, Ride):
            latest -= net.change[pattern.stops[leg.board]]
    return Found(found.rides, found.source, found.target, legs)


def turn(net: Network, found: Found) -> Found:
    """A journey found on `net.reversed()` as a journey of `net`, in travel order."""
    legs: list[Ride | Walk] = []
    for leg in reversed(found.legs):
        if isinstance(leg, Walk):
            legs.append(Walk(leg.end, leg.start, leg.seconds))
            continue
        pattern = net.patterns[leg.pattern]
        n, trips = len(pattern.stops), len(pattern.trips)
        legs.append(Ride(leg.pattern, trips - 1 - leg.trip, n - 1 - leg.alight, n - 1 - leg.board))
    return Found(found.rides, found.target, found.source, legs)
