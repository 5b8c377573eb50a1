# SPDX-License-Identifier: EUPL-1.2
"""The official register of German administrative units, as far as the hub needs it.

Keys and names come from the Destatis Gemeindeverzeichnis, geometries from the BKG's VG5000
(both in HUB_DATA_DIR/boundaries, see that folder's README for sources and licences). VG5000 is
1:5,000,000: good for overview maps, too coarse near borders; `hub boundaries import` replaces it
with finer boundaries (VG250) where a tenant needs them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

VG5000_SCALE = 5_000_000
VG5000_SOURCE = "VG5000 © GeoBasis-DE / BKG 2021 (Daten verändert)"


class RegisterUnavailable(RuntimeError):
    """The data files of the register are missing or unreadable."""


@dataclass(frozen=True)
class Unit:
    """One administrative unit: a municipality, a Verbandsgemeinde or a district."""

    key: str  # AGS (8) of a municipality, ARS (9) of a Verbandsgemeinde, AGS (5) of a district
    level: str  # "municipality" | "association" | "district"
    official_name: str
    geometry_geojson: str | None

    def geometry(self) -> MultiPolygon | None:
        if self.geometry_geojson is None:
            return None
        geom = GEOSGeometry(self.geometry_geojson, srid=4326)
        return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)


class Register:
    def __init__(self, units: dict[str, Unit]):
        self._units = units

    def get(self, key: str) -> Unit | None:
        return self._units.get(key)

    def __len__(self) -> int:
        return len(self._units)


def _geometries(path: Path, key_field: str) -> dict[str, tuple[dict, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        feature["properties"][key_field]: (feature["properties"], json.dumps(feature["geometry"]))
        for feature in data["features"]
    }


@cache
def load_register(data_dir: Path) -> Register:
    """Read the register from HUB_DATA_DIR/boundaries (cached per folder)."""
    folder = Path(data_dir) / "boundaries"
    try:
        municipal_geoms = _geometries(folder / "gemeinden_sachsen_anhalt.geojson", "AGS")
        association_geoms = _geometries(folder / "gemeindeverbaende_sachsen_anhalt.geojson", "ARS")
        district_geoms = _geometries(folder / "kreise_sachsen_anhalt.geojson", "ARS")
        with (folder / "gemeindeverzeichnis_st.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, ValueError, KeyError) as exc:
        raise RegisterUnavailable(
            f"cannot read the official register in {folder}: {exc} "
            "(set HUB_DATA_DIR to the folder that holds boundaries/)"
        ) from exc

    units: dict[str, Unit] = {}
    for row in rows:
        land, rb, kreis = row["land"], row["rb"], row["kreis"]
        vb, gemeinde, name = row["vb"], row["gemeinde"], row["gemeindename"].strip()
        if row["satzart"] == "60":  # Gemeinde
            ags = f"{land}{rb}{kreis}{gemeinde}"
            geom = municipal_geoms.get(ags)
            units[ags] = Unit(ags, "municipality", name, geom[1] if geom else None)
        elif row["satzart"] == "50" and row["textkennzeichen"] == "53":  # Verbandsgemeinde
            ars = f"{land}{rb}{kreis}{vb}"
            geom = association_geoms.get(ars)
            units[ars] = Unit(
                ars, "association", f"Verbandsgemeinde {name}", geom[1] if geom else None
            )
        elif row["satzart"] == "40" and row["textkennzeichen"] == "44":  # Landkreis
            key = f"{land}{rb}{kreis}"
            geom = district_geoms.get(key)
            units[key] = Unit(key, "district", f"Landkreis {name}", geom[1] if geom else None)
    return Register(units)
