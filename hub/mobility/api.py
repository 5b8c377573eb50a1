# SPDX-License-Identifier: EUPL-1.2
"""The mobility centre's API: the feeds, a tenant's stops, departure boards. All of it is open
data (the timetables are CC BY 4.0; the attribution travels with every answer)."""

from __future__ import annotations

import datetime as dt
import json
import math

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from hub.core import guard
from hub.core.errors import Invalid, NotFound
from hub.core.exports import geojson_response, point_feature
from hub.mobility import export, realtime, selectors
from hub.mobility.journeys import planner, results
from hub.mobility.journeys.network import walk_seconds
from hub.mobility.models import StopAccess
from hub.tenancy.selectors import active_tenants

router = Router(tags=["mobility"])


def _also_404(description: str) -> dict:
    """An operation whose query (not path) can name nothing: its 404 in the document."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        "responses": {
            "404": {"description": description, "content": {"application/problem+json": problem}}
        }
    }


class FeedOut(Schema):
    slug: str
    name: str
    licence: str
    attribution: str
    first_day: dt.date | None
    last_day: dt.date | None
    declared_end: dt.date | None
    imported_at: dt.datetime | None


@router.get(
    "/mobilitaet/feeds",
    response=list[FeedOut],
    url_name="mobility_feeds",
    summary="The GTFS feeds of the region with their live version's service period",
)
def feeds(request):
    return [
        FeedOut(
            slug=v.feed.slug,
            name=v.feed.name,
            licence=v.feed.licence,
            attribution=v.feed.attribution,
            first_day=v.first_day,
            last_day=v.last_day,
            declared_end=v.declared_end,
            imported_at=v.imported_at,
        )
        for v in selectors.live_versions().order_by("feed__slug")
    ]


class DepartureOut(Schema):
    planned: dt.datetime
    expected: dt.datetime | None  # from GTFS-Realtime; null: no live data for it
    delay: int | None  # seconds
    cancelled: bool
    line: str
    route_type: int
    headsign: str
    stop_id: str
    platform: str
    trip_id: str
    feed: str


class RealtimeOut(Schema):
    feed: str
    as_of: dt.datetime
    stale: bool  # older than 2 minutes: the board shows the plan


class AlertOut(Schema):
    feed: str
    header: str
    description: str
    stops: list[str]
    routes: list[str]


class AccessOut(Schema):
    stop_id: str
    wheelchair: int  # 1 reachable without steps, 2 not (0 unknown is not listed)
    label: str
    note: str


class BoardOut(Schema):
    station: str
    name: str
    stop_ids: list[str]
    start: dt.datetime
    service_end: dt.date | None
    notice: str  # "" or why the board is empty (past the end of service)
    departures: list[DepartureOut]
    realtime: list[RealtimeOut]
    alerts: list[AlertOut]  # ServiceAlerts naming the station's stops or the whole agency
    accessibility: list[AccessOut]  # what staff recorded for the station's stops
    attribution: list[str]


def board(key: str, start: dt.datetime, limit: int) -> BoardOut:
    """The board of a stop or station: its departures, or why there are none."""
    where = selectors.place(key)
    covered = selectors.timetable()
    end, begin = covered.last_day, covered.first_day
    inside = guard.EARLIEST <= start < guard.LATEST  # else no local time: far off anyway
    day = timezone.localtime(start).date() if inside else start.date()
    notice, rows = "", []
    if end is None or begin is None:
        notice = "Noch ist kein Fahrplan eingespielt."
    elif day > end:
        notice = f"Fahrplandaten liegen nur bis {end:%d.%m.%Y} vor."
    elif day < begin - dt.timedelta(days=2):
        notice = f"Fahrplandaten liegen erst ab {begin:%d.%m.%Y} vor."
    else:
        rows = selectors.departures(where.stop_ids, start, limit=limit)
    live, fresh = realtime.apply(rows)
    return BoardOut(
        station=where.key,
        name=where.name,
        stop_ids=list(where.stop_ids),
        start=start,
        service_end=end,
        notice=notice,
        departures=[_departure(item) for item in live],
        realtime=[
            RealtimeOut(feed=slug, as_of=info[0], stale=info[1])
            for slug, info in sorted(fresh.items())
            if info is not None
        ],
        alerts=[AlertOut(**a) for a in realtime.alerts(stops=where.stop_ids)],
        accessibility=[
            AccessOut(
                stop_id=a.stop_id,
                wheelchair=a.wheelchair,
                label=str(a.get_wheelchair_display()),
                note=a.note,
            )
            for a in StopAccess.objects.filter(stop_id__in=where.stop_ids)
            .exclude(wheelchair=StopAccess.Wheelchair.UNKNOWN)
            .order_by("stop_id")
        ],
        attribution=list(covered.attributions),
    )


AT = Query(None, description="default: now; without a time zone: local time")


def _departure(item: realtime.Live) -> DepartureOut:
    d = item.departure
    return DepartureOut(
        planned=d.planned,
        expected=item.expected,
        delay=item.delay,
        cancelled=item.cancelled,
        line=d.line,
        route_type=d.route_type,
        headsign=d.headsign,
        stop_id=d.stop_id,
        platform=d.platform,
        trip_id=d.trip_id,
        feed=d.feed,
    )


@router.get(
    "/mobilitaet/abfahrten/{stop}",
    response=BoardOut,
    url_name="mobility_departures",
    summary="The next planned departures at a stop or station (stop_id or DHID station key)",
)
def departures(
    request,
    stop: str,
    at: dt.datetime | None = AT,
    limit: int = Query(20, ge=1, le=selectors.MAX_DEPARTURES),
):
    if len(stop) > 100:
        raise Invalid("stop: at most 100 characters", field="stop")
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    return board(stop, at or timezone.now(), limit)


class PlaceOut(Schema):
    kind: str  # station | address | point
    label: str
    lon: float
    lat: float
    station: str  # the station key, "" for an address or a point


NEAR_RADIUS = 1000  # metres, by default and
NEAR_RADIUS_MAX = 2000  # at most: beyond it, the journey planner walks you there
NEAR_STATIONS = 5


class NearStationOut(Schema):
    station: str
    name: str
    lon: float
    lat: float
    metres: int  # as the crow flies, to the station's nearest stop
    walk_minutes: int  # by the journey planner's walking rule (detour and pace)
    notice: str
    departures: list[DepartureOut]
    alerts: list[AlertOut]


class NearbyOut(Schema):
    place: PlaceOut
    radius: int
    start: dt.datetime
    notice: str  # "" or why there is nothing to show (no stop in the radius)
    stations: list[NearStationOut]
    realtime: list[RealtimeOut]
    attribution: list[str]


def nearby(
    where: results.Place, start: dt.datetime, *, radius: int, stations: int, limit: int
) -> NearbyOut:
    """The stations around a place, nearest first, each with its next departures."""
    found = selectors.stations_near(where.lon, where.lat, radius=radius, limit=stations)
    boards = [(p, metres, board(p.key, start, limit)) for p, metres in found]
    feeds: dict[str, RealtimeOut] = {}
    for _p, _m, b in boards:
        for info in b.realtime:
            feeds.setdefault(info.feed, info)
    return NearbyOut(
        place=_place(where),
        radius=radius,
        start=start,
        notice="" if found else f"Im Umkreis von {radius} m liegt keine Haltestelle.",
        stations=[
            NearStationOut(
                station=b.station,
                name=b.name,
                lon=p.point.x,
                lat=p.point.y,
                metres=metres,
                walk_minutes=math.ceil(walk_seconds(metres) / 60),
                notice=b.notice,
                departures=b.departures,
                alerts=b.alerts,
            )
            for p, metres, b in boards
        ],
        realtime=[feeds[k] for k in sorted(feeds)],
        attribution=list(selectors.timetable().attributions),
    )


@router.get(
    "/mobilitaet/in-der-naehe",
    response=NearbyOut,
    url_name="mobility_nearby",
    summary="Departures near a place: the nearest stations and their next departures",
    description=(
        "`ort`: an address of the local register, a stop's name, a station key or "
        "`geo:lat,lon` (a phone's position). `umkreis`: metres, "
        f"default {NEAR_RADIUS}, at most {NEAR_RADIUS_MAX}. `limit`: departures per station."
    ),
    openapi_extra=_also_404("`ort` names no stop, station, address or point"),
)
def near(
    request,
    *,
    ort: str = Query(..., min_length=1, max_length=200),
    umkreis: int = Query(NEAR_RADIUS, ge=50, le=NEAR_RADIUS_MAX),
    stationen: int = Query(NEAR_STATIONS, ge=1, le=10),
    limit: int = Query(5, ge=1, le=20),
    at: dt.datetime | None = AT,
):
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    where = near_place(ort)
    return nearby(where, at or timezone.now(), radius=umkreis, stations=stationen, limit=limit)


def near_place(ort: str) -> results.Place:
    """The place a nearby search starts from, read as the journey planner reads it."""
    if not ort.strip():  # only blanks: no place named, as one the hub does not know
        raise NotFound("Bitte einen Ort angeben (Adresse, Haltestelle oder geo:Breite,Länge).")
    return planner.place(ort)


class LegOut(Schema):
    kind: str  # ride | walk
    start: str
    end: str
    departure: dt.datetime
    arrival: dt.datetime
    start_stop: str
    end_stop: str
    start_platform: str
    end_platform: str
    line: str
    route_type: int | None
    headsign: str
    trip_id: str
    feed: str
    stops: int  # stops passed between boarding and alighting
    metres: int  # walks
    delay_departure: int | None  # seconds, GTFS-Realtime
    delay_arrival: int | None


class JourneyOut(Schema):
    departure: dt.datetime
    arrival: dt.datetime
    minutes: int
    changes: int
    legs: list[LegOut]
    warnings: list[str]


class PlanOut(Schema):
    start: PlaceOut
    end: PlaceOut
    at: dt.datetime
    arrive_by: bool
    engine: str
    journeys: list[JourneyOut]
    notice: str
    attribution: list[str]


def _place(p: results.Place) -> PlaceOut:
    return PlaceOut(kind=p.kind, label=p.label, lon=p.lon, lat=p.lat, station=p.key)


def plan_out(plan: results.Plan) -> PlanOut:
    return PlanOut(
        start=_place(plan.start),
        end=_place(plan.end),
        at=plan.at,
        arrive_by=plan.arrive_by,
        engine=plan.engine,
        journeys=[
            JourneyOut(
                departure=j.departure,
                arrival=j.arrival,
                minutes=j.minutes,
                changes=j.changes,
                legs=[LegOut(**vars(leg)) for leg in j.legs],
                warnings=j.warnings,
            )
            for j in plan.journeys
        ],
        notice=plan.notice,
        attribution=list(plan.attribution),
    )


@router.get(
    "/mobilitaet/verbindungen",
    response=PlanOut,
    url_name="mobility_journeys",
    summary="Journeys between two places: the Pareto set of arrival (or departure) and changes",
    description=(
        "`von`/`nach`: a stop_id or DHID station key, a stop's name, an address of the local "
        'register ("Hagenstraße 12, Haldensleben") or `geo:lat,lon`. `zeit`: depart at (or, '
        "with `ankunft=true`, arrive by); default now, without a time zone local time."
    ),
    openapi_extra=_also_404(
        "`von` or `nach` names no stop, station, address or point, or there is no"
        " timetable of the day asked (past the end of service)"
    ),
)
def journeys(
    request,
    von: str = Query(..., min_length=1, max_length=200),
    nach: str = Query(..., min_length=1, max_length=200),
    zeit: dt.datetime | None = AT,
    ankunft: bool = False,
):
    if zeit is not None and timezone.is_naive(zeit):
        zeit = timezone.make_aware(zeit)
    return plan_out(planner.plan(von, nach, zeit, arrive_by=ankunft))


@router.get(
    "/t/{slug}/mobilitaet/haltestellen.geojson",
    url_name="mobility_stops_geojson",
    summary="The stops inside the tenant's area (GeoJSON, EPSG:4326), from the live timetables",
)
def stops_geojson(request, slug: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    stops = selectors.stops_in(tenant)
    return geojson_response(
        [
            point_feature(
                s.stop_id,
                s.point.x,
                s.point.y,
                {"stop_id": s.stop_id, "name": s.name, "station": s.station},
            )
            for s in stops
        ],
        name=f"Haltestellen: {tenant.display_name}",
        attribution="; ".join(sorted({v.feed.attribution for v in selectors.live_versions()})),
    )


class StationOut(Schema):
    station: str
    name: str
    lon: float
    lat: float


class VehicleOut(Schema):
    trip_id: str
    lat: float
    lon: float
    bearing: float | None
    label: str
    near: str  # the line's station nearest to it: where it is, without a map


class LineOut(Schema):
    feed: str
    route_id: str
    line: str
    name: str
    agency: str
    route_type: int
    color: str
    stations: list[StationOut]
    alerts: list[AlertOut]
    vehicles: list[VehicleOut]
    attribution: str


def line_out(feed: str, route_id: str) -> LineOut:
    found = selectors.line(feed, route_id)
    r = found.route
    moving = realtime.vehicles(feed, routes=[r.route_id], trips=found.trip_ids)
    stations = found.stations

    def near(v: dict) -> str:
        if not stations:
            return ""
        return min(
            stations, key=lambda p: (p.point.x - v["lon"]) ** 2 + (p.point.y - v["lat"]) ** 2
        ).name

    return LineOut(
        feed=feed,
        route_id=r.route_id,
        line=r.short_name or r.long_name,
        name=r.long_name,
        agency=r.agency,
        route_type=r.route_type,
        color=r.color,
        stations=[
            StationOut(station=p.key, name=p.name, lon=p.point.x, lat=p.point.y) for p in stations
        ],
        alerts=[
            AlertOut(**a)
            for a in realtime.alerts(routes=[r.route_id], stops=[p.stop_ids[0] for p in stations])
        ],
        vehicles=[
            VehicleOut(
                trip_id=v["trip_id"],
                lat=v["lat"],
                lon=v["lon"],
                bearing=v["bearing"],
                label=v["label"],
                near=near(v),
            )
            for v in moving
        ],
        attribution=r.version.feed.attribution,
    )


@router.get(
    "/mobilitaet/linien/{feed}/{route_id}",
    response=LineOut,
    url_name="mobility_line",
    summary="A line: its stations in order, ServiceAlerts and vehicles on the way (GTFS-RT)",
)
def line(request, feed: str, route_id: str):
    if len(feed) > 60 or len(route_id) > 100:
        raise Invalid("feed or route_id too long")
    return line_out(feed, route_id)


@router.get(
    "/t/{slug}/mobilitaet/linien.geojson",
    url_name="mobility_lines_geojson",
    summary="The lines crossing the tenant's area (GeoJSON, EPSG:4326): the line network",
)
def lines_geojson(request, slug: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    return geojson_response(
        [
            {
                "type": "Feature",
                "id": f"{r.version.feed.slug}/{r.route_id}",
                "geometry": json.loads(r.geometry.geojson),
                "properties": {
                    "feed": r.version.feed.slug,
                    "route_id": r.route_id,
                    "line": r.short_name or r.long_name,
                    "name": r.long_name,
                    "agency": r.agency,
                    "route_type": r.route_type,
                    "color": r.color,
                },
            }
            for r in selectors.lines_in(tenant)
        ],
        name=f"Liniennetz: {tenant.display_name}",
        attribution="; ".join(sorted({v.feed.attribution for v in selectors.live_versions()})),
    )


@router.get(
    "/mobilitaet/gtfs/regional.zip",
    url_name="mobility_regional_gtfs",
    summary="The merged, validated regional timetable (GTFS zip: stations, curated accessibility)",
    openapi_extra=_also_404("no timetable imported yet, or none that passes the validator"),
)
def regional_gtfs(request):
    path = export.merged()
    answer = FileResponse(path.open("rb"), content_type="application/zip")
    answer["Content-Disposition"] = 'attachment; filename="regionalfahrplan-boerde.zip"'
    answer["ETag"] = f'"{path.stem}"'
    return answer
