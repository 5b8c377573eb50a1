# SPDX-License-Identifier: EUPL-1.2
"""Region-wide open data the hub republishes per tenant, read from the files in HUB_DATA_DIR.

Each source is a list of points with properties; a tenant's share is what lies inside its
boundary (selectors.py). The files are static, so each is parsed once per process.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings


class SourceMissing(RuntimeError):
    """The data file is not where HUB_DATA_DIR says."""


@dataclass(frozen=True)
class Place:
    id: str
    lat: float
    lon: float
    properties: dict[str, str]


@dataclass(frozen=True)
class Source:
    """One kind of open data: what it is, where it comes from and under which licence."""

    identifier: str
    title: str
    description: str
    attribution: str
    license_id: str  # of the dcat-ap.de list (CKAN's licence register)
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    columns: tuple[str, ...]  # the property columns of the CSV export, in order


def _path(relative: str):
    path = settings.HUB_DATA_DIR / relative
    if not path.is_file():
        raise SourceMissing(f"{path} is missing (HUB_DATA_DIR={settings.HUB_DATA_DIR})")
    return path


@cache
def bus_stops() -> tuple[Place, ...]:
    """The stops of the Börde bus network (GTFS stops.txt of BördeBus, NASA GmbH)."""
    with zipfile.ZipFile(_path("gtfs/boerdebus.zip")) as feed:
        text = feed.read("stops.txt").decode("utf-8-sig")
    places = []
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("location_type") not in ("", "0", None):
            continue  # stations and entrances are not where a bus stops
        places.append(
            Place(
                id=row["stop_id"],
                lat=float(row["stop_lat"]),
                lon=float(row["stop_lon"]),
                properties={
                    "stop_id": row["stop_id"],
                    "name": row["stop_name"],
                    "platform_code": row.get("platform_code") or "",
                },
            )
        )
    return tuple(places)


def _decimal_comma(value: str) -> float:
    try:
        return float(Decimal(value.strip().replace(",", ".")))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


@cache
def charging_stations() -> tuple[Place, ...]:
    """Charging devices of the BNetzA Ladesäulenregister (extract of 19.07.2019)."""
    lines = _path("charging/ladesaeulenregister_boerde.csv").read_text("utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Betreiber;"))
    places = []
    for number, row in enumerate(csv.DictReader(lines[header:], delimiter=";"), start=1):
        if not row.get("Betreiber"):
            continue
        places.append(
            Place(
                id=f"bnetza-{number}",
                lat=_decimal_comma(row["Breitengrad [DG]"]),
                lon=_decimal_comma(row["Längengrad [DG]"]),
                properties={
                    "operator": row["Betreiber"].strip(),
                    "address": row["Adresse"].strip(),
                    "postcode_city": row["Postleitzahl Ort"].strip(),
                    "commissioned": row["Inbetriebnahmedatum"].strip(),
                    "power_kw": row["Anschlussleistung [kW]"].strip().replace(",", "."),
                    "kind": row["Art der Ladeeinrichtung"].strip(),
                    "charging_points": row["Anzahl Ladepunkte"].strip(),
                    "connectors": row["Steckertypen1"].strip(),
                },
            )
        )
    return tuple(places)


SOURCES = {
    "haltestellen": (
        Source(
            identifier="haltestellen",
            title="Bushaltestellen",
            description=(
                "Haltestellen des Börde-Busnetzes im Gebiet, aus dem GTFS-Fahrplan der "
                "BördeBus Verkehrsgesellschaft (veröffentlicht von der NASA GmbH)."
            ),
            attribution="Nahverkehrsservice Sachsen-Anhalt GmbH (NASA GmbH), BördeBus",
            license_id="cc-by/4.0",
            themes=("TRAN",),
            tags=("ÖPNV", "Mobilität", "Haltestellen"),
            columns=("stop_id", "name", "platform_code"),
        ),
        bus_stops,
    ),
    "ladesaeulen": (
        Source(
            identifier="ladesaeulen",
            title="Ladesäulen für Elektrofahrzeuge",
            description=(
                "Öffentlich zugängliche Ladeeinrichtungen im Gebiet, aus dem Ladesäulenregister "
                "der Bundesnetzagentur (Stand 19.07.2019)."
            ),
            attribution="Bundesnetzagentur",
            license_id="cc-by/4.0",
            themes=("TRAN", "ENER"),
            tags=("Elektromobilität", "Mobilität", "Energie"),
            columns=(
                "operator",
                "address",
                "postcode_city",
                "commissioned",
                "power_kw",
                "kind",
                "charging_points",
                "connectors",
            ),
        ),
        charging_stations,
    ),
}
