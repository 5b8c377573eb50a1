# SPDX-License-Identifier: EUPL-1.2
"""GBFS (General Bikeshare Feed Specification) 2.3 and 3.0, read: the discovery file, then the
files a receiver needs (system_information, station_information, station_status,
free_bike_status (2.x) or vehicle_status (3.0), vehicle_types, geofencing_zones).

2.x files carry one feed per language (`data: {"en": {"feeds": [...]}}`); 3.0 has one list and
translated strings (`[{"text": ..., "language": ...}]`). Both become the same plain rows here.
Validation against the specification's schemas is gbfs-validator's (MobilityData's rules,
ported to Python); this module only maps, and refuses what it cannot map.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from connectors.base import PayloadInvalid, PayloadTooLarge

VERSIONS = ("2.3", "3.0")
MAX_BYTES = 16 * 2**20  # one file; a city's vehicle_status is a few MiB
MAX_VEHICLES = 20_000  # a small region's fleets are hundreds; more is a wrong URL or an attack
MAX_STATIONS = 20_000
MAX_FILES = 20  # GBFS 3.0 defines 13 files
WANTED = (
    "system_information",
    "station_information",
    "station_status",
    "free_bike_status",
    "vehicle_status",
    "vehicle_types",
    "geofencing_zones",
)


@dataclass(frozen=True)
class Discovery:
    version: str
    urls: dict[str, str]  # file name (without .json) -> URL, every file the feed lists


def _text(value: Any, language: str = "de") -> str:
    """A 2.x string, or a 3.0 list of translations (German first, else the first one)."""
    if isinstance(value, list):
        texts = [v for v in value if isinstance(v, dict) and isinstance(v.get("text"), str)]
        chosen = next((v for v in texts if v.get("language", "")[:2] == language), None)
        chosen = chosen or (texts[0] if texts else None)
        return chosen["text"] if chosen else ""
    return value if isinstance(value, str) else ""


def _data(body: Any, name: str) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        raise PayloadInvalid(f"{name}: no `data` member: not a GBFS file")
    return body["data"]


def discover(body: Any) -> Discovery:
    """The files of a feed from its gbfs.json (2.3: per language, 3.0: one list)."""
    version = str(body.get("version", "")) if isinstance(body, dict) else ""
    if version not in VERSIONS:
        raise PayloadInvalid(
            f"gbfs.json: version {version or 'missing'!r}; the hub reads {' and '.join(VERSIONS)}"
        )
    data = _data(body, "gbfs.json")
    if version.startswith("2."):
        if not isinstance(data, dict) or not data:
            raise PayloadInvalid("gbfs.json: no language in `data`")
        language = "de" if "de" in data else next(iter(data))
        feeds = data[language].get("feeds") if isinstance(data[language], dict) else None
    else:
        feeds = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(feeds, list):
        raise PayloadInvalid("gbfs.json: `feeds` is not a list")
    urls = {}
    for entry in feeds[:MAX_FILES]:  # every file listed: the validator checks them all
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            url = entry.get("url")
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                urls[entry["name"][:60]] = url
    if "system_information" not in urls:
        raise PayloadInvalid("gbfs.json: lists no system_information")
    return Discovery(version, urls)


@dataclass(frozen=True)
class Station:
    station_id: str
    name: str
    lat: float
    lon: float
    capacity: int | None = None
    vehicles_available: int | None = None
    docks_available: int | None = None
    is_renting: bool | None = None
    is_returning: bool | None = None
    reported_at: dt.datetime | None = None


@dataclass(frozen=True)
class Vehicle:
    vehicle_id: str
    lat: float | None
    lon: float | None
    station_id: str
    vehicle_type_id: str
    is_reserved: bool
    is_disabled: bool
    range_m: float | None = None


@dataclass(frozen=True)
class Zone:
    name: str
    geometry: dict
    rules: list = field(default_factory=list)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PayloadInvalid(f"{what}: {value!r} is not a number")
    return float(value)


def _stamp(value: Any) -> dt.datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):  # 2.x: POSIX seconds
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str):  # 3.0: RFC 3339
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _list(body: Any, name: str, key: str, limit: int) -> list:
    items = _data(body, name).get(key) if isinstance(_data(body, name), dict) else None
    if not isinstance(items, list):
        raise PayloadInvalid(f"{name}: `data.{key}` is not a list")
    if len(items) > limit:
        raise PayloadTooLarge(f"{name}: {len(items):,} {key}; the hub takes at most {limit:,}")
    return items


LISTS = {
    "station_information": ("stations", MAX_STATIONS),
    "station_status": ("stations", MAX_STATIONS),
    "free_bike_status": ("bikes", MAX_VEHICLES),
    "vehicle_status": ("vehicles", MAX_VEHICLES),
}


def check_sizes(found: Discovery, bodies: dict[str, Any]) -> None:
    """Refuse a feed with more stations or vehicles than the hub takes, before the (slower)
    validation reads every one of them."""
    for name, (key, limit) in LISTS.items():
        body = bodies.get(found.urls.get(name, ""))
        data = body.get("data") if isinstance(body, dict) else None
        items = data.get(key) if isinstance(data, dict) else None
        if isinstance(items, list) and len(items) > limit:
            raise PayloadTooLarge(
                f"{name}.json: {len(items):,} {key}; the hub takes at most {limit:,}"
            )


def stations(information: Any, status: Any | None) -> list[Station]:
    """station_information joined with station_status (by station_id)."""
    info = _list(information, "station_information.json", "stations", MAX_STATIONS)
    states = {}
    if status is not None:
        for s in _list(status, "station_status.json", "stations", MAX_STATIONS):
            if isinstance(s, dict) and isinstance(s.get("station_id"), str):
                states[s["station_id"]] = s
    out = []
    for n, s in enumerate(info):
        if not isinstance(s, dict) or not isinstance(s.get("station_id"), str):
            raise PayloadInvalid(f"station_information.json: stations[{n}] has no station_id")
        state = states.get(s["station_id"], {})
        available = state.get("num_vehicles_available", state.get("num_bikes_available"))
        out.append(
            Station(
                station_id=s["station_id"],
                name=_text(s.get("name")),
                lat=_number(s.get("lat"), f"stations[{n}].lat"),
                lon=_number(s.get("lon"), f"stations[{n}].lon"),
                capacity=s.get("capacity") if isinstance(s.get("capacity"), int) else None,
                vehicles_available=available if isinstance(available, int) else None,
                docks_available=state.get("num_docks_available")
                if isinstance(state.get("num_docks_available"), int)
                else None,
                is_renting=state.get("is_renting")
                if isinstance(state.get("is_renting"), bool)
                else None,
                is_returning=state.get("is_returning")
                if isinstance(state.get("is_returning"), bool)
                else None,
                reported_at=_stamp(state.get("last_reported")),
            )
        )
    return out


def vehicles(body: Any, version: str) -> list[Vehicle]:
    """free_bike_status (2.x: `bikes`, `bike_id`) or vehicle_status (3.0: `vehicles`)."""
    key, ident = ("bikes", "bike_id") if version.startswith("2.") else ("vehicles", "vehicle_id")
    name = "free_bike_status.json" if key == "bikes" else "vehicle_status.json"
    out = []
    for n, v in enumerate(_list(body, name, key, MAX_VEHICLES)):
        if not isinstance(v, dict) or not isinstance(v.get(ident), str):
            raise PayloadInvalid(f"{name}: {key}[{n}] has no {ident}")
        lat, lon = v.get("lat"), v.get("lon")
        out.append(
            Vehicle(
                vehicle_id=v[ident],
                lat=_number(lat, f"{key}[{n}].lat") if lat is not None else None,
                lon=_number(lon, f"{key}[{n}].lon") if lon is not None else None,
                station_id=v.get("station_id") if isinstance(v.get("station_id"), str) else "",
                vehicle_type_id=v.get("vehicle_type_id", "")
                if isinstance(v.get("vehicle_type_id"), str)
                else "",
                is_reserved=v.get("is_reserved") is True,
                is_disabled=v.get("is_disabled") is True,
                range_m=v.get("current_range_meters")
                if isinstance(v.get("current_range_meters"), (int, float))
                else None,
            )
        )
    return out


def zones(body: Any) -> list[Zone]:
    data = _data(body, "geofencing_zones.json")
    collection = data.get("geofencing_zones") if isinstance(data, dict) else None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise PayloadInvalid("geofencing_zones.json: no FeatureCollection of zones")
    out = []
    for f in features:
        if isinstance(f, dict) and isinstance(f.get("geometry"), dict):
            properties = f.get("properties") or {}
            out.append(
                Zone(_text(properties.get("name")), f["geometry"], properties.get("rules") or [])
            )
    return out


def system(body: Any) -> dict:
    data = _data(body, "system_information.json")
    if not isinstance(data, dict) or not isinstance(data.get("system_id"), str):
        raise PayloadInvalid("system_information.json: no system_id")
    return {
        "system_id": data["system_id"],
        "name": _text(data.get("name")),
        "operator": _text(data.get("operator")),
        "url": data.get("url") if isinstance(data.get("url"), str) else "",
        "timezone": data.get("timezone") if isinstance(data.get("timezone"), str) else "",
    }


def manifest(body: Any) -> list[tuple[str, str]]:
    """A 3.0 manifest.json: (version, gbfs_url) of its first dataset, newest version first."""
    data = _data(body, "manifest.json")
    datasets = data.get("datasets") if isinstance(data, dict) else None
    if not isinstance(datasets, list) or not datasets or not isinstance(datasets[0], dict):
        raise PayloadInvalid("manifest.json: no datasets")
    versions = datasets[0].get("versions")
    if not isinstance(versions, list):
        raise PayloadInvalid("manifest.json: datasets[0] has no versions")
    found = [
        (str(v.get("version")), v.get("url"))
        for v in versions
        if isinstance(v, dict) and isinstance(v.get("url"), str)
    ]
    return sorted(
        found, key=lambda pair: [int(x) for x in pair[0].split(".") if x.isdigit()], reverse=True
    )
