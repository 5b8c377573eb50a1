# SPDX-License-Identifier: EUPL-1.2
"""Journeys from a place to a place: a stop or station, an address of the local register, or a
map point, with the walk to and from the stops near it; depart at or arrive by a time.

The engine sits behind `Engine`: the embedded default (`Raptor`) answers in the process from
the imported timetable; another backend (OpenTripPlanner for GTFS-Flex and GBFS routing) is a
class with the same `plan` method. Live data (GTFS-Realtime) is applied to the plan: cancelled
trips are not boarded, delays are shown per leg, and a change that the delays break is named.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from hub.core.errors import Invalid, NotFound
from hub.geo import addresses
from hub.mobility import realtime, selectors
from hub.mobility.journeys import network as networks
from hub.mobility.journeys import raptor
from hub.mobility.journeys.results import Engine, Journey, Leg, Place, Plan, pareto

ACCESS_RADIUS = 1000  # metres walked to or from a stop at most
ACCESS_STOPS = 12  # the nearest stops considered around an address or a point
WALK_ONLY = 2500  # metres: up to this, walking all the way is one of the answers
MAX_RIDES = 6
GEO = re.compile(r"^geo:\s*(?P<lat>-?\d{1,2}(?:\.\d+)?)\s*,\s*(?P<lon>-?\d{1,3}(?:\.\d+)?)$")
SEARCH_HOURS = 6  # how far past the time asked a journey may start (or end, for arrive-by)


def place(text: str) -> Place:
    """A stop_id or station key, `geo:lat,lon`, a stop's name or an address of the register."""
    text = (text or "").strip()
    if not text:  # only blanks: no place named, as one the hub does not know
        raise NotFound("Bitte einen Start und ein Ziel angeben.")
    if len(text) > 200 or "\x00" in text:
        raise Invalid("Ein Ort ist höchstens 200 Zeichen lang.")
    point = GEO.match(text)
    if point:
        lat, lon = float(point["lat"]), float(point["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Invalid(f"{text!r}: keine gültige Koordinate (geo:Breite,Länge)")
        return Place("point", f"{lat:.5f}, {lon:.5f}", lon, lat)
    if text.startswith("de:") or ":" not in text:
        try:
            station = selectors.place(text)
        except NotFound:
            station = None
        if station is not None:
            return Place(
                "station",
                station.name,
                station.point.x,
                station.point.y,
                station.stop_ids,
                station.key,
            )
    named = selectors.station_named(text)
    if named is not None:
        return Place("station", named.name, named.point.x, named.point.y, named.stop_ids, named.key)
    found = addresses.resolve(text)
    if found is None:
        raise NotFound(
            f"Den Ort {text[:80]!r} kennt der Datenhub nicht: eine Haltestelle, eine Adresse "
            "(Straße Hausnummer, Ort) oder geo:Breite,Länge angeben."
        )
    return Place("address", found.label, found.point.x, found.point.y)


def _near(day: networks.Day, where: Place) -> dict[int, int]:
    """Stop -> seconds walked between the place and it."""
    index = day.network.index
    if where.stop_ids:
        return {index[s]: 0 for s in where.stop_ids if s in index}
    here = (where.lon, where.lat)
    around = []
    for i, p in enumerate(day.points):
        if abs(p[1] - here[1]) > 0.01 or abs(p[0] - here[0]) > 0.016:
            continue  # more than ~1.1 km north/south or east/west
        d = networks.metres(here, p)
        if d <= ACCESS_RADIUS and day.network.serves[i]:
            around.append((d, i))
    around.sort()
    return {i: networks.walk_seconds(d) for d, i in around[:ACCESS_STOPS]}


class Raptor:
    """The embedded engine: RAPTOR over the day's network, in the process."""

    name = "raptor"

    def plan(
        self,
        start: Place,
        end: Place,
        at: dt.datetime,
        *,
        arrive_by: bool,
        covered: selectors.Timetable,
    ) -> Plan:
        day = networks.network_for(networks.day_of(at))
        access, egress = _near(day, start), _near(day, end)
        when = int(at.timestamp())
        found = _search(day, access, egress, when, arrive_by)
        journeys = [_journey(day, f, access, egress) for f in found]
        direct = networks.metres((start.lon, start.lat), (end.lon, end.lat))
        if direct <= WALK_ONLY and not (start.stop_ids and end.stop_ids and direct < 1):
            seconds = networks.walk_seconds(direct)
            begin = at - dt.timedelta(seconds=seconds) if arrive_by else at
            journeys.append(
                Journey(
                    begin,
                    begin + dt.timedelta(seconds=seconds),
                    0,
                    [
                        Leg(
                            "walk",
                            start.label,
                            end.label,
                            begin,
                            begin + dt.timedelta(seconds=seconds),
                            metres=round(direct * networks.DETOUR),
                        )
                    ],
                )
            )
        journeys = pareto(journeys, arrive_by)
        _apply_realtime(journeys)
        empty = "" if journeys else "Keine Verbindung in den nächsten Stunden gefunden."
        return Plan(start, end, at, arrive_by, journeys, empty, covered.attributions)


def _outside(covered: selectors.Timetable, at: dt.datetime) -> str:
    if covered.first_day is None or covered.last_day is None:
        return "Noch ist kein Fahrplan eingespielt."
    day = timezone.localtime(at).date()
    if day > covered.last_day:
        return f"Fahrplandaten liegen nur bis {covered.last_day:%d.%m.%Y} vor."
    if day < covered.first_day:
        return f"Fahrplandaten liegen erst ab {covered.first_day:%d.%m.%Y} vor."
    return ""


def _cancelled(day: networks.Day) -> set[int]:
    """Trip instances that fresh GTFS-Realtime cancels: no journey boards them."""
    out: set[int] = set()
    for feed in {key[0] for key in day.instances}:
        live = realtime.fresh(feed)
        if live is None:
            continue
        for (trip_id, service_day), trip in live.trips.items():
            if not trip.cancelled:
                continue
            days = [dt.datetime.strptime(service_day, "%Y%m%d").date()] if service_day else []
            for candidate in days or [
                day.day - dt.timedelta(days=1),
                day.day,
                day.day + dt.timedelta(days=1),
            ]:
                n = day.instances.get((feed, trip_id, candidate))
                if n is not None:
                    out.add(n)
    return out


def _search(day, access, egress, when: int, arrive_by: bool) -> list[raptor.Found]:
    net = day.network
    if not access or not egress:
        return []
    banned = _cancelled(day)
    if not arrive_by:
        sources = {s: when + w for s, w in access.items()}
        found = raptor.search(net, sources, egress, max_rides=MAX_RIDES, banned=banned)
        out = []
        for f in found:
            out.append(raptor.tighten_departures(net, f, _arrival(net, f), banned))
        return [
            f for f in out if _departure(net, f) - access[f.source] < when + SEARCH_HOURS * 3600
        ]
    # Arrive by: the reversed search finds, per number of rides, the latest departure that
    # still arrives in time; a forward search from that departure then arrives as early as
    # the same number of rides allows.
    back = net.reversed()
    sources = {s: -(when - w) for s, w in egress.items()}
    out = []
    for f in raptor.search(back, sources, access, max_rides=MAX_RIDES, banned=banned):
        forward = raptor.turn(net, f)
        leave = _departure(net, forward) - access[forward.source]
        again = raptor.search(
            net,
            {s: leave + w for s, w in access.items()},
            egress,
            max_rides=forward.rides,
            banned=banned,
        )
        out.append(again[-1] if again else forward)
    earliest = when - SEARCH_HOURS * 3600
    return [f for f in out if _arrival(net, f) + egress[f.target] > earliest]


def _departure(net: raptor.Network, f: raptor.Found) -> int:
    first = next(leg for leg in f.legs if isinstance(leg, raptor.Ride))
    offset = 0
    for leg in f.legs:
        if isinstance(leg, raptor.Ride):
            break
        offset += leg.seconds
    return net.patterns[first.pattern].dep[first.board][first.trip] - offset


def _arrival(net: raptor.Network, f: raptor.Found) -> int:
    last = f.legs[-1]
    return net.patterns[last.pattern].arr[last.alight][last.trip]


def _local(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, networks.BERLIN)


def _journey(day: networks.Day, f: raptor.Found, access, egress) -> Journey:
    net = day.network
    legs: list[Leg] = []
    first_stop = f.source
    if access[f.source]:
        leave = _departure(net, f) - access[f.source]
        legs.append(_walk(day, None, first_stop, leave, access[f.source]))
    for leg in f.legs:
        if isinstance(leg, raptor.Walk):
            before = legs[-1].arrival
            legs.append(_walk(day, leg.start, leg.end, int(before.timestamp()), leg.seconds))
            continue
        pattern = net.patterns[leg.pattern]
        trip = day.trips[pattern.trips[leg.trip]]
        a, b = pattern.stops[leg.board], pattern.stops[leg.alight]
        legs.append(
            Leg(
                "ride",
                day.names[a],
                day.names[b],
                _local(pattern.dep[leg.board][leg.trip]),
                _local(pattern.arr[leg.alight][leg.trip]),
                start_stop=net.stops[a],
                end_stop=net.stops[b],
                start_platform=day.platforms[a],
                end_platform=day.platforms[b],
                line=trip.line,
                route_type=trip.route_type,
                headsign=trip.headsign,
                trip_id=trip.trip_id,
                feed=trip.feed,
                stops=leg.alight - leg.board - 1,
                delay_departure=None,
                delay_arrival=None,
            )
        )
        legs[-1].sequences = (trip, leg.board, leg.alight)  # type: ignore[attr-defined]
    if egress[f.target]:
        legs.append(_walk(day, f.target, None, int(legs[-1].arrival.timestamp()), egress[f.target]))
    return Journey(legs[0].departure, legs[-1].arrival, f.rides - 1, legs)


def _walk(day, start: int | None, end: int | None, leave: int, seconds: int) -> Leg:
    name = "Start" if start is None else day.names[start]
    to = "Ziel" if end is None else day.names[end]
    return Leg(
        "walk",
        name,
        to,
        _local(leave),
        _local(leave + seconds),
        start_stop="" if start is None else day.network.stops[start],
        end_stop="" if end is None else day.network.stops[end],
        metres=round(seconds * networks.WALK_SPEED),
    )


def _apply_realtime(journeys: list[Journey]) -> None:
    for journey in journeys:
        previous: Leg | None = None
        for leg in journey.legs:
            where = getattr(leg, "sequences", None)
            if where is None:
                continue
            trip, board, alight = where
            del leg.sequences  # type: ignore[attr-defined]
            current = realtime.fresh(trip.feed)
            live = current.state(trip.trip_id, trip.day) if current else None
            if live is not None:
                leg.delay_departure = live.at(trip.sequences[board], leg.start_stop)[0]
                leg.delay_arrival = live.at(trip.sequences[alight], leg.end_stop)[0]
            if previous is not None and previous.delay_arrival:
                ready = previous.arrival + dt.timedelta(
                    seconds=previous.delay_arrival + networks.CHANGE_SECONDS
                )
                leaves = leg.departure + dt.timedelta(seconds=leg.delay_departure or 0)
                if ready > leaves:
                    journey.warnings.append(
                        f"Anschluss in {leg.start} an Linie {leg.line} ist durch Verspätung "
                        "gefährdet."
                    )
            previous = leg


def engine() -> Engine:
    """OpenTripPlanner where HUB_OTP_URL names one, else the embedded RAPTOR."""
    if settings.HUB_OTP_URL:
        from hub.mobility.journeys.otp import Otp

        return Otp(settings.HUB_OTP_URL)
    return Raptor()


def plan(
    start: str,
    end: str,
    at: dt.datetime | None,
    *,
    arrive_by: bool = False,
    using: Engine | None = None,
) -> Plan:
    """The journeys between two places (see `place`); `at` aware, default now. Checked here
    for every engine: a day without timetable and the same place twice are refused."""
    at = at or timezone.now()
    if at.tzinfo is None:
        raise Invalid("the time needs a time zone")
    start_place, end_place = place(start), place(end)
    covered = selectors.timetable()
    notice = _outside(covered, at)
    if notice:  # there is no timetable of that day: not found, as a stop that is not
        raise NotFound(notice, field="zeit")
    same_station = start_place.key and start_place.key == end_place.key
    if same_station or (start_place.lon, start_place.lat) == (end_place.lon, end_place.lat):
        raise Invalid("Start und Ziel sind derselbe Ort.", field="nach")
    return (using or engine()).plan(
        start_place, end_place, at, arrive_by=arrive_by, covered=covered
    )
