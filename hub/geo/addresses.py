# SPDX-License-Identifier: EUPL-1.2
"""Look addresses up in the local register (hub.geo.models.Address), and fill it.

`resolve("Hagenstraße 12, 39340 Haldensleben")` finds the house; without a number, or with
one the register lacks, the street (the middle of its known houses); a bus stop's name
("Haldensleben, Markt") finds the stop. The answer says which of these it was, so a form can
tell the person how exact the place is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import MultiPoint, Point

from hub.core import imports
from hub.geo.models import Address

MAX_IMPORT_ROWS = 2_000_000
HOUSE = re.compile(
    r"^(?P<street>.*?[^\d\s])\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+[a-zA-Z]?)?)?$"
)
POSTCODE = re.compile(r"\b(?P<postcode>\d{5})\b")


def normalise(text: str) -> str:
    """Lower case, umlauts and ß spelt out, "str." = "straße" = "strasse", no punctuation."""
    text = unicodedata.normalize("NFC", text or "").lower().strip()
    for old, new in (("ß", "ss"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(old, new)
    text = re.sub(r"str\.", "strasse ", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = re.sub(r"\bstr\b", "strasse", text)
    text = re.sub(r"(\w)\s+strasse\b", r"\1strasse", text)  # "Hagen Straße" = "Hagenstraße"
    return re.sub(r"\s+", " ", text).strip()


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text or "").lower()


@dataclass(frozen=True)
class Resolved:
    point: Point
    label: str
    precision: str  # "house" | "street" | "stop"


@dataclass(frozen=True)
class Query:
    street: str
    number: str
    postcode: str
    town: str


def parse(text: str) -> Query | None:
    """ "Hagenstraße 12, 39340 Haldensleben" → street, number, postcode, town (each optional
    but the street)."""
    text = (text or "").strip()
    if not text or len(text) > 300 or "\x00" in text:
        return None
    head, _, rest = text.partition(",")
    if not rest:  # "Hagenstraße 12 39340 Haldensleben": the town after the number
        spaced = re.match(r"^(?P<head>.*?\d+\s*[a-zA-Z]?)\s+(?P<rest>(?:\d{5}\s+)?[^\d].*)$", text)
        if spaced:
            head, rest = spaced["head"], spaced["rest"]
    postcode = ""
    found = POSTCODE.search(rest) or POSTCODE.search(head)
    if found:
        postcode = found["postcode"]
        rest = rest.replace(postcode, " ")
        head = head.replace(postcode, " ") if not rest.strip() else head
    match = HOUSE.match(head.strip())
    if not match:
        return None
    return Query(
        street=normalise(match["street"]),
        number=_number(match["number"] or ""),
        postcode=postcode,
        town=normalise(rest),
    )


def resolve(text: str, *, stops: Iterable = ()) -> Resolved | None:
    """The place of an address or a stop name, from local data only; None if unknown.

    The register's house first, then its street, then a bus stop of that name or on that
    street ("Haldensleben, Hagenstr." for "Hagenstraße 12, Haldensleben").
    """
    query = parse(text)
    if query is not None and query.street:
        found = _in_register(query)
        if found is not None:
            return found
    wanted = normalise(text)
    matches = []
    for stop in stops:
        name = stop.properties.get("name", "")
        town, _, street = (normalise(part) for part in name.partition(","))
        # Always with the town: a bare "Markt" or "Bahnhof" is in many places.
        candidates = {normalise(name), f"{street} {town}".strip()}
        on_street = query is not None and street and query.street == street and query.town == town
        if (wanted and wanted in candidates) or on_street:
            matches.append((town, stop))
    if not matches or len({town for town, _ in matches}) > 1:
        return None  # unknown, or a name several towns have ("Markt"): the town is needed
    stop = matches[0][1]
    return Resolved(Point(stop.lon, stop.lat, srid=4326), stop.properties["name"], "stop")


def _in_register(query: Query) -> Resolved | None:
    houses = Address.objects.filter(street_key=query.street)
    if query.town:
        houses = houses.filter(town_key=query.town)
    if query.postcode:
        houses = houses.filter(postcode=query.postcode)
    houses = list(houses[:500])
    if not houses:
        return None
    if query.number:
        exact = [h for h in houses if _number(h.number) == query.number]
        if exact:
            return Resolved(exact[0].location, exact[0].label, "house")
    if len({h.town for h in houses}) > 1:
        return None  # the same street in several towns: the town is needed
    middle = MultiPoint([h.location for h in houses], srid=4326).centroid
    first = houses[0]
    return Resolved(Point(middle.x, middle.y, srid=4326), f"{first.street}, {first.town}", "street")


# -- filling the register ---------------------------------------------------------------------

# The columns an address file needs, and the other names offices give them.
ALIASES = {
    "street": ("strasse", "straße", "street", "str"),
    "number": ("hausnummer", "hnr", "number", "housenumber"),
    "postcode": ("plz", "postleitzahl", "postcode"),
    "town": ("ort", "gemeinde", "town", "city"),
    "lat": ("lat", "breitengrad", "latitude", "y"),
    "lon": ("lon", "laengengrad", "längengrad", "longitude", "x"),
}
REQUIRED = ("street", "town", "lat", "lon")


def read_file(source: Path | bytes, *, name: str = "") -> imports.Table:
    """An address file (CSV, any delimiter and office encoding) as rows of ALIASES' names."""
    return imports.read_table(
        source, name=name, required=REQUIRED, aliases=ALIASES, max_rows=MAX_IMPORT_ROWS
    )


def _coordinate(value: str, field: str) -> float:
    try:
        return float((value or "").strip().replace(",", "."))
    except ValueError:
        raise imports.RowProblem(f"{value!r} is not a number", field=field) from None


def save_row(line: int, row: dict[str, str], *, source: str) -> str:
    """Insert or update one address (the import's row handler); "created" or "updated"."""
    lat, lon = _coordinate(row.get("lat", ""), "lat"), _coordinate(row.get("lon", ""), "lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise imports.RowProblem(f"coordinates {lat}, {lon} are outside WGS 84", field="lat")
    street, town = row.get("street", ""), row.get("town", "")
    if not street or not town or len(street) > 150 or len(town) > 100:
        raise imports.RowProblem(
            "street and town are needed (at most 150/100 characters)", field="street"
        )
    if "\x00" in street + town:
        raise imports.RowProblem("contains a NUL character", field="street")
    _, created = Address.objects.update_or_create(
        street_key=normalise(street),
        number=row.get("number", "")[:20],
        postcode=row.get("postcode", "")[:5],
        town_key=normalise(town),
        defaults={
            "street": street,
            "town": town,
            "location": Point(lon, lat, srid=4326),
            "source": source[:200],
        },
    )
    return "created" if created else "updated"


def import_rows(
    rows: Iterable[tuple[int, dict[str, str]]], source: str, *, progress: bool | None = None
) -> imports.ImportReport:
    """Insert or update each good row; a bad row is reported with its line and skipped."""
    return imports.run(
        rows,
        lambda line, row: save_row(line, row, source=source),
        source=source,
        mode=imports.KEEP_GOOD,
        progress=progress,
    )
