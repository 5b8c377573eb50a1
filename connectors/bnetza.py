# SPDX-License-Identifier: EUPL-1.2
"""The Bundesnetzagentur's Ladesäulenregister, row by row.

The 2019 releases (the extract in ../shared/data) have a preamble, a group header ("1.
Ladepunkt" …) and then the header; later releases split the address ("Straße", "Hausnummer",
"Postleitzahl", "Ort") and name some columns differently. Both are read through `ALIASES`.
Numbers have decimal commas; **longitude comes before latitude** in the 2019 layout, so a row
whose coordinates lie outside Germany, or that look swapped, is refused with the reason rather
than moved somewhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from connectors.base import PayloadInvalid

# canonical column -> the names it has in the releases (compared without case)
ALIASES: dict[str, tuple[str, ...]] = {
    "operator": ("betreiber",),
    "address": ("adresse",),
    "street": ("straße", "strasse"),
    "number": ("hausnummer",),
    "postcode_city": ("postleitzahl ort",),
    "postcode": ("postleitzahl",),
    "city": ("ort",),
    "lon": ("längengrad [dg]", "längengrad", "laengengrad"),
    "lat": ("breitengrad [dg]", "breitengrad"),
    "commissioned": ("inbetriebnahmedatum",),
    "power": ("anschlussleistung [kw]", "nennleistung ladeeinrichtung [kw]", "anschlussleistung"),
    "kind": ("art der ladeeinrichtung", "art der ladeeinrichung", "normal-/schnellladeeinrichtung"),
    "count": ("anzahl ladepunkte",),
    **{f"plugs{n}": (f"steckertypen{n}",) for n in range(1, 7)},
    **{f"power{n}": (f"p{n} [kw]", f"nennleistung stecker{n}") for n in range(1, 7)},
}
REQUIRED = ("operator", "lon", "lat", "count")
# Germany's extent, with a margin: a point outside it is a typo or swapped coordinates.
LAT = (47.2, 55.1)
LON = (5.8, 15.1)
MAX_POINTS = 6


@dataclass(frozen=True)
class Point:
    position: int
    plugs: tuple[str, ...]
    power_kw: Decimal | None


@dataclass(frozen=True)
class Station:
    operator: str
    address: str
    postcode: str
    city: str
    lon: float
    lat: float
    commissioned: dt.date | None
    power_kw: Decimal
    kind: str  # normal | fast
    points: tuple[Point, ...]

    def fingerprint(self) -> str:
        """What identifies the device in a release: the same row gives the same digest."""
        parts = (
            self.operator,
            self.address,
            self.postcode,
            self.city,
            f"{self.lon:.6f}",
            f"{self.lat:.6f}",
            self.commissioned.isoformat() if self.commissioned else "",
            self.kind,
            str(len(self.points)),
        )
        return hashlib.sha256("|".join(parts).casefold().encode()).hexdigest()[:40]


def _number(value: str, field: str) -> Decimal:
    text = (value or "").strip()
    if "," in text:  # a decimal comma, perhaps with thousands points
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise PayloadInvalid(f"{field}: {value!r} is not a number") from None
    if not number.is_finite():
        raise PayloadInvalid(f"{field}: {value!r} is not a number")
    return number


def _coordinate(value: str, field: str) -> float:
    # Coordinates have a decimal comma and never a thousands separator.
    text = (value or "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise PayloadInvalid(f"{field}: {value!r} is not a coordinate") from None
    if not math.isfinite(number):
        raise PayloadInvalid(f"{field}: {value!r} is not a coordinate")
    return number


def _date(value: str) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise PayloadInvalid(f"commissioned: {value!r} is no date (dd.mm.yyyy)")


def _kind(value: str) -> str:
    text = (value or "").strip().casefold()
    if text.startswith("schnell"):
        return "fast"
    if text.startswith("normal"):
        return "normal"
    raise PayloadInvalid(
        f"kind: {value!r} is neither Normalladeeinrichtung nor Schnellladeeinrichtung"
    )


POSTCODE_CITY = re.compile(r"^\s*(\d{5})\s+(.+?)\s*$")


def station(row: dict[str, str]) -> Station:
    """One register row as a station; PayloadInvalid names the field at fault."""
    operator = (row.get("operator") or "").strip()
    if not operator:
        raise PayloadInvalid("operator: empty")
    lon = _coordinate(row.get("lon", ""), "lon")
    lat = _coordinate(row.get("lat", ""), "lat")
    if not (LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]):
        swapped = LAT[0] <= lon <= LAT[1] and LON[0] <= lat <= LON[1]
        hint = " (latitude and longitude look swapped)" if swapped else " (outside Germany)"
        raise PayloadInvalid(f"lat/lon: {lat}, {lon}{hint}")
    if row.get("address") is not None:
        address = row["address"].strip()
    else:
        address = f"{(row.get('street') or '').strip()} {(row.get('number') or '').strip()}"
    address = " ".join(address.split())
    postcode, city = (row.get("postcode") or "").strip(), (row.get("city") or "").strip()
    if row.get("postcode_city"):
        found = POSTCODE_CITY.match(row["postcode_city"])
        if found:
            postcode, city = found[1], found[2]
        else:
            city = row["postcode_city"].strip()
    if not city:
        raise PayloadInvalid("city: empty")
    try:
        count = int((row.get("count") or "").strip())
    except ValueError:
        raise PayloadInvalid(f"count: {row.get('count')!r} is not a whole number") from None
    if not 1 <= count <= MAX_POINTS:
        raise PayloadInvalid(f"count: {count} charge points; the register has 1 to {MAX_POINTS}")
    points = []
    for n in range(1, count + 1):
        plugs = tuple(p.strip() for p in (row.get(f"plugs{n}") or "").split(",") if p.strip())
        power = row.get(f"power{n}") or ""
        points.append(Point(n, plugs, _number(power, f"power{n}") if power.strip() else None))
    power_kw = _number(row.get("power") or "0", "power")
    if power_kw < 0:
        raise PayloadInvalid(f"power: {power_kw} kW is negative")
    return Station(
        operator=" ".join(operator.split()),
        address=address,
        postcode=postcode,
        city=" ".join(city.split()),
        lon=lon,
        lat=lat,
        commissioned=_date(row.get("commissioned", "")),
        power_kw=power_kw,
        kind=_kind(row.get("kind", "")),
        points=tuple(points),
    )
