# SPDX-License-Identifier: EUPL-1.2
"""Writes of the sharing app: polling a GBFS feed (every file fetched once, the whole feed
validated with gbfs-validator, then taken in one transaction, or refused with the notices and
the last good state kept), and the fleets staff maintain."""

from __future__ import annotations

import json
import logging
from typing import Any

import requests
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction
from django.utils import timezone
from gbfs_validator import GBFS
from gbfs_validator.fetch import Fetcher, FetchError

from connectors import gbfs
from connectors.base import PayloadInvalid
from hub.core.errors import Invalid, NotFound
from hub.sharing.models import Feed, Fleet, FleetStation, FleetVehicle, Station, Vehicle, Zone

log = logging.getLogger(__name__)
TIMEOUT = 20
SHOWN_NOTICES = 50


class _Fetched(Fetcher):
    """The validator reads the bodies the hub fetched, so both see the same bytes."""

    def __init__(self, bodies: dict[str, Any]):
        super().__init__()
        self.bodies = bodies

    def get_json(self, url: str) -> object:
        if url in self.bodies:
            return self.bodies[url]
        raise FetchError(url, f"{url} is not part of the fetched feed")


def _get(url: str) -> Any:
    try:
        answer = requests.get(url, timeout=TIMEOUT, stream=True)
        answer.raise_for_status()
        raw = answer.raw.read(gbfs.MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise PayloadInvalid(f"{url}: {str(exc)[:200]}") from None
    if len(raw) > gbfs.MAX_BYTES:
        raise PayloadInvalid(f"{url}: larger than {gbfs.MAX_BYTES // 2**20} MiB")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadInvalid(f"{url}: not JSON ({str(exc)[:120]})") from None


def notices(report: dict) -> list[dict[str, str]]:
    """The validator's findings as (file, path, message), a missing required file included."""
    out = []
    for found in report.get("files", []):
        for entry in found.get("languages") or [found]:
            name = found.get("file") or entry.get("file") or "gbfs.json"
            if entry.get("required") and not entry.get("exists"):
                out.append({"file": name, "path": "", "message": "required file missing"})
            for error in entry.get("errors") or []:
                out.append(
                    {
                        "file": name,
                        "path": str(error.get("instancePath", "")),
                        "message": str(error.get("message", "")),
                    }
                )
    return out


def fetch(feed: Feed) -> tuple[gbfs.Discovery, dict[str, Any], str]:
    """The feed's discovery and every file it lists that the hub reads, by URL."""
    first = _get(feed.url)
    url = feed.url
    bodies: dict[str, Any] = {}
    data = first.get("data") if isinstance(first, dict) else None
    if isinstance(data, dict) and "datasets" in data:  # a 3.0 manifest: the newest we read
        versions = [(v, u) for v, u in gbfs.manifest(first) if v in gbfs.VERSIONS]
        if not versions:
            raise PayloadInvalid(f"{feed.url}: the manifest offers no GBFS {gbfs.VERSIONS}")
        bodies[url] = first
        url = versions[0][1]
        first = _get(url)
    found = gbfs.discover(first)
    bodies[url] = first
    for target in found.urls.values():
        if target not in bodies:
            bodies[target] = _get(target)
    # 3.0: system_information names the manifest, which the validator reads as well.
    system = bodies.get(found.urls.get("system_information", ""), {})
    manifest_url = (
        (system.get("data") or {}).get("manifest_url") if isinstance(system, dict) else None
    )
    if (
        isinstance(manifest_url, str)
        and manifest_url.startswith("http")
        and manifest_url not in bodies
    ):
        bodies[manifest_url] = _get(manifest_url)
    return found, bodies, url


def poll(feed: Feed) -> bool:
    """Read, validate and take the feed; False (with the reasons kept) when it is refused."""
    now = timezone.now()
    try:
        found, bodies, url = fetch(feed)
        gbfs.check_sizes(found, bodies)
        checker = GBFS(
            url, docked=feed.docked, freefloating=feed.free_floating, fetcher=_Fetched(bodies)
        )
        report = checker.validation()
        if report["summary"].get("versionUnimplemented"):
            raise PayloadInvalid(f"{url}: a GBFS version the validator does not know")
        problems = notices(report)
        if report["summary"].get("hasErrors"):
            feed.notices = problems[:SHOWN_NOTICES]
            first = problems[0] if problems else {"file": "", "path": "", "message": "?"}
            raise PayloadInvalid(
                f"{len(problems)} validation notice(s); first: {first['file']} "
                f"{first['path']}: {first['message']}"
            )
        state = _read(found, bodies)
    except PayloadInvalid as exc:
        feed.polled_at, feed.error = now, str(exc)[:2000]
        feed.save(update_fields=["polled_at", "error", "notices"])
        log.warning("GBFS %s refused: %s (the last good state stays)", feed.slug, exc)
        return False
    with transaction.atomic():
        _replace(feed, found.version, state)
        feed.polled_at = feed.good_at = now
        feed.error, feed.notices = "", []
        feed.save()
    return True


def _read(found: gbfs.Discovery, bodies: dict[str, Any]):
    def body(name: str) -> Any | None:
        url = found.urls.get(name)
        return bodies.get(url) if url else None

    system = gbfs.system(body("system_information"))
    stations = (
        gbfs.stations(body("station_information"), body("station_status"))
        if body("station_information") is not None
        else []
    )
    moving = body("vehicle_status") or body("free_bike_status")
    vehicles = gbfs.vehicles(moving, found.version) if moving is not None else []
    zones = gbfs.zones(body("geofencing_zones")) if body("geofencing_zones") is not None else []
    return system, stations, vehicles, zones


def _area(geometry: dict) -> MultiPolygon:
    try:
        shape = GEOSGeometry(json.dumps(geometry), srid=4326)
    except (ValueError, TypeError) as exc:
        raise PayloadInvalid(f"geofencing_zones.json: a zone's geometry: {exc}") from None
    if shape.geom_type == "Polygon":
        return MultiPolygon(shape, srid=4326)
    if shape.geom_type != "MultiPolygon":
        raise PayloadInvalid(f"geofencing_zones.json: a {shape.geom_type}, not a (Multi)Polygon")
    return shape


def _replace(feed: Feed, version: str, state: tuple) -> None:
    system, stations, vehicles, zones = state
    feed.version, feed.system = version, system
    Station.objects.filter(feed=feed).delete()
    Vehicle.objects.filter(feed=feed).delete()
    Zone.objects.filter(feed=feed).delete()
    Station.objects.bulk_create(
        Station(
            feed=feed,
            station_id=s.station_id,
            name=s.name[:300],
            point=Point(s.lon, s.lat, srid=4326),
            capacity=s.capacity,
            vehicles_available=s.vehicles_available,
            docks_available=s.docks_available,
            is_renting=s.is_renting,
            is_returning=s.is_returning,
            reported_at=s.reported_at,
        )
        for s in stations
    )
    Vehicle.objects.bulk_create(
        Vehicle(
            feed=feed,
            vehicle_id=v.vehicle_id[:200],
            point=Point(v.lon, v.lat, srid=4326)
            if v.lat is not None and v.lon is not None
            else None,
            station_id=v.station_id[:200],
            vehicle_type_id=v.vehicle_type_id[:200],
            is_reserved=v.is_reserved,
            is_disabled=v.is_disabled,
            range_m=v.range_m,
        )
        for v in vehicles
    )
    Zone.objects.bulk_create(
        Zone(feed=feed, name=z.name[:300], area=_area(z.geometry), rules=z.rules) for z in zones
    )


# -- the tenants' own fleets ----------------------------------------------------------------------


def fleet_of(tenant, system_id: str) -> Fleet:
    fleet = Fleet.objects.filter(tenant=tenant, system_id=system_id).first()
    if fleet is None:
        raise NotFound(f"Kein Angebot {system_id!r} dieses Mandanten.")
    return fleet


def set_station(
    tenant,
    fleet: Fleet,
    *,
    station_id: str,
    name: str,
    lat: float,
    lon: float,
    capacity: int,
    address: str = "",
    is_renting: bool = True,
    is_returning: bool = True,
) -> FleetStation:
    if tenant.boundary is not None and not tenant.boundary.contains(Point(lon, lat, srid=4326)):
        raise Invalid("Die Station liegt außerhalb des Gebiets des Mandanten.", field="lat")
    if not 0 <= capacity <= 500:
        raise Invalid("Stellplätze: 0 bis 500.", field="capacity")
    station, _ = FleetStation.objects.update_or_create(
        tenant=tenant,
        fleet=fleet,
        station_id=station_id,
        defaults={
            "name": name[:200],
            "point": Point(lon, lat, srid=4326),
            "address": address[:200],
            "capacity": capacity,
            "is_renting": is_renting,
            "is_returning": is_returning,
        },
    )
    return station


def set_vehicle(
    tenant,
    fleet: Fleet,
    *,
    vehicle_id: str,
    name: str,
    form_factor: str,
    propulsion: str,
    station_id: str = "",
    is_reserved: bool = False,
    is_disabled: bool = False,
    max_range_m: int | None = None,
) -> FleetVehicle:
    if form_factor not in FleetVehicle.Form.values:
        raise Invalid(f"Art: eine von {', '.join(FleetVehicle.Form.values)}.", field="form_factor")
    if propulsion not in FleetVehicle.Propulsion.values:
        raise Invalid(
            f"Antrieb: einer von {', '.join(FleetVehicle.Propulsion.values)}.", field="propulsion"
        )
    if propulsion != "human" and not max_range_m:
        raise Invalid(
            "Reichweite: ein Fahrzeug mit Motor braucht seine Reichweite (GBFS).",
            field="max_range_m",
        )
    station = None
    if station_id:
        station = FleetStation.objects.filter(fleet=fleet, station_id=station_id).first()
        if station is None:
            raise Invalid(f"Keine Station {station_id!r} in diesem Angebot.", field="station_id")
        if station.vehicles.exclude(vehicle_id=vehicle_id).count() >= station.capacity:
            raise Invalid(
                f"Die Station {station.name} ist voll ({station.capacity} Plätze).",
                field="station_id",
            )
    vehicle, _ = FleetVehicle.objects.update_or_create(
        tenant=tenant,
        fleet=fleet,
        vehicle_id=vehicle_id,
        defaults={
            "name": name[:200],
            "form_factor": form_factor,
            "propulsion": propulsion,
            "max_range_m": max_range_m,
            "station": station,
            "is_reserved": is_reserved,
            "is_disabled": is_disabled,
        },
    )
    return vehicle
