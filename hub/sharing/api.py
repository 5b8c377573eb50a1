# SPDX-License-Identifier: EUPL-1.2
"""Sharing as open data: the fleets tenants run themselves as GBFS 3.0 (a manifest of all of
them, and per fleet gbfs.json and its files), and what the hub reads from other feeds as
GeoJSON for maps.

The GBFS files follow the 3.0 specification: a `last_updated` timestamp, a `ttl`, `version`,
translated names; vehicles appear only while they can be rented (at a station, not reserved
and not out of service), and their published ids change whenever they move, as 3.0 asks of
vehicle ids for privacy."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from hub.core.errors import NotFound
from hub.core.exports import geojson_response, point_feature
from hub.sharing.models import Fleet, FleetStation, FleetVehicle, Station
from hub.tenancy.context import system_context
from hub.tenancy.selectors import active_tenants

router = Router(tags=["sharing"])
TTL = 60
VERSION = "3.0"
FILES = (
    "system_information",
    "vehicle_types",
    "station_information",
    "station_status",
    "vehicle_status",
)


def _base() -> str:
    return f"{settings.HUB_PUBLIC_URL}/api/v1/gbfs"


def _stamp(value=None) -> str:
    return (value or timezone.now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _file(data: dict, updated=None) -> dict:
    return {"last_updated": _stamp(updated), "ttl": TTL, "version": VERSION, "data": data}


def _text(value: str) -> list[dict]:
    return [{"text": value, "language": "de"}]


def _fleet(system_id: str) -> Fleet:
    with system_context():
        return get_object_or_404(Fleet.objects.select_related("tenant"), system_id=system_id)


def _type_id(vehicle: FleetVehicle) -> str:
    return f"{vehicle.form_factor}-{vehicle.propulsion}"


def _public_id(vehicle: FleetVehicle) -> str:
    """A vehicle's published id: new whenever it moves or changes (GBFS 3.0 privacy rule)."""
    seed = f"{vehicle.fleet_id}:{vehicle.pk}:{vehicle.station_id}:{vehicle.updated_at.isoformat()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:20]


def _rentable(fleet: Fleet):
    return FleetVehicle.objects.filter(
        fleet=fleet, station__isnull=False, is_reserved=False, is_disabled=False
    ).select_related("station")


@router.get("/gbfs/manifest.json", url_name="gbfs_manifest", summary="GBFS 3.0 manifest")
def manifest(request):
    with system_context():
        fleets = list(Fleet.objects.order_by("system_id"))
    return _file(
        {
            "datasets": [
                {
                    "system_id": f.system_id,
                    "versions": [{"version": VERSION, "url": f"{_base()}/{f.system_id}/gbfs.json"}],
                }
                for f in fleets
            ]
        }
    )


@router.get("/gbfs/{system_id}/gbfs.json", url_name="gbfs_discovery", summary="GBFS 3.0 gbfs.json")
def discovery(request, system_id: str):
    fleet = _fleet(system_id)
    return _file(
        {"feeds": [{"name": n, "url": f"{_base()}/{fleet.system_id}/{n}.json"} for n in FILES]},
        fleet.updated_at,
    )


@router.get(
    "/gbfs/{system_id}/{name}.json",
    url_name="gbfs_file",
    summary="A file of a fleet's GBFS 3.0 feed (system_information, vehicle_types, station_*)",
)
def gbfs_file(request, system_id: str, name: str):
    build = BUILDERS.get(name)
    if build is None:
        raise NotFound(f"no GBFS file {name!r}; the feed has {', '.join(FILES)}")
    fleet = _fleet(system_id)
    with system_context():
        return build(fleet)


def _system_information(fleet: Fleet) -> dict:
    data = {
        "system_id": fleet.system_id,
        "languages": ["de"],
        "name": _text(fleet.name),
        "operator": _text(fleet.operator),
        "opening_hours": "24/7",
        "feed_contact_email": fleet.email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">"),
        "timezone": "Europe/Berlin",
        "manifest_url": f"{_base()}/manifest.json",
        "attribution_organization_name": _text(fleet.tenant.display_name),
    }
    if fleet.url:
        data["url"] = fleet.url
    if fleet.phone:
        data["phone_number"] = fleet.phone
    return _file(data, fleet.updated_at)


def _vehicle_types(fleet: Fleet) -> dict:
    types: dict[str, dict] = {}
    for v in FleetVehicle.objects.filter(fleet=fleet):
        entry = types.setdefault(
            _type_id(v),
            {
                "vehicle_type_id": _type_id(v),
                "form_factor": v.form_factor,
                "propulsion_type": v.propulsion,
                "name": _text(f"{v.get_form_factor_display()} ({v.get_propulsion_display()})"),
            },
        )
        if v.propulsion != "human":
            entry["max_range_meters"] = max(entry.get("max_range_meters", 0), v.max_range_m or 0)
    return _file({"vehicle_types": sorted(types.values(), key=lambda t: t["vehicle_type_id"])})


def _station_information(fleet: Fleet) -> dict:
    stations = FleetStation.objects.filter(fleet=fleet).order_by("station_id")
    return _file(
        {
            "stations": [
                {
                    "station_id": s.station_id,
                    "name": _text(s.name),
                    "lat": round(s.point.y, 6),
                    "lon": round(s.point.x, 6),
                    "capacity": s.capacity,
                    **({"address": s.address} if s.address else {}),
                }
                for s in stations
            ]
        }
    )


def _station_status(fleet: Fleet) -> dict:
    rentable = Q(vehicles__is_reserved=False, vehicles__is_disabled=False)
    stations = FleetStation.objects.filter(fleet=fleet).annotate(
        parked=Count("vehicles"), available=Count("vehicles", filter=rentable)
    )
    by_type: dict[str, dict[str, int]] = {}
    for v in _rentable(fleet):
        counts = by_type.setdefault(v.station.station_id, {})
        counts[_type_id(v)] = counts.get(_type_id(v), 0) + 1
    return _file(
        {
            "stations": [
                {
                    "station_id": s.station_id,
                    "num_vehicles_available": s.available,
                    "vehicle_types_available": [
                        {"vehicle_type_id": t, "count": n}
                        for t, n in sorted(by_type.get(s.station_id, {}).items())
                    ],
                    "num_docks_available": max(s.capacity - s.parked, 0),
                    "is_installed": True,
                    "is_renting": s.is_renting,
                    "is_returning": s.is_returning,
                    "last_reported": _stamp(s.updated_at),
                }
                for s in stations.order_by("station_id")
            ]
        }
    )


def _vehicle_status(fleet: Fleet) -> dict:
    vehicles = []
    for v in _rentable(fleet).order_by("vehicle_id"):
        entry = {
            "vehicle_id": _public_id(v),
            "station_id": v.station.station_id,
            "is_reserved": False,
            "is_disabled": False,
            "vehicle_type_id": _type_id(v),
            "last_reported": _stamp(v.updated_at),
        }
        if v.propulsion != "human":
            entry["current_range_meters"] = v.max_range_m or 0
        vehicles.append(entry)
    return _file({"vehicles": vehicles})


BUILDERS = {
    "system_information": _system_information,
    "vehicle_types": _vehicle_types,
    "station_information": _station_information,
    "station_status": _station_status,
    "vehicle_status": _vehicle_status,
}


@router.get(
    "/t/{slug}/sharing/stationen.geojson",
    url_name="sharing_geojson",
    summary="Sharing stations in the tenant's area, from the feeds the hub reads and its own",
)
def stations_geojson(request, slug: str):
    tenant = get_object_or_404(active_tenants(), slug=slug)
    features = []
    if tenant.boundary is not None:
        for s in Station.objects.filter(point__within=tenant.boundary).select_related("feed"):
            features.append(
                point_feature(
                    f"{s.feed.slug}/{s.station_id}",
                    s.point.x,
                    s.point.y,
                    {
                        "system": s.feed.name,
                        "name": s.name,
                        "vehicles_available": s.vehicles_available,
                        "docks_available": s.docks_available,
                        "is_renting": s.is_renting,
                        "as_of": s.feed.good_at.isoformat() if s.feed.good_at else None,
                    },
                )
            )
        with system_context():
            own = (
                FleetStation.objects.filter(point__within=tenant.boundary)
                .select_related("fleet")
                .annotate(
                    available=Count(
                        "vehicles",
                        filter=Q(vehicles__is_reserved=False, vehicles__is_disabled=False),
                    )
                )
            )
            for s in own:
                features.append(
                    point_feature(
                        f"{s.fleet.system_id}/{s.station_id}",
                        s.point.x,
                        s.point.y,
                        {
                            "system": s.fleet.name,
                            "name": s.name,
                            "vehicles_available": s.available,
                            "docks_available": None,
                            "is_renting": s.is_renting,
                            "as_of": s.updated_at.isoformat(),
                        },
                    )
                )
    return geojson_response(features, name=f"Sharing: {tenant.display_name}")
