# SPDX-License-Identifier: EUPL-1.2
"""The Ladesäulenregister import: the shared extract as it is (42 devices, 79 charge points,
longitude before latitude), again without changes, and later releases and broken files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry

from hub.charging import services
from hub.charging.models import ChargePoint, Station
from hub.core.errors import TooLarge
from hub.core.imports import ImportRefused
from tests.charging.conftest import REGISTER, STADTWERKE, register_lines

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
KREISE = Path(settings.HUB_DATA_DIR) / "boundaries" / "kreise_sachsen_anhalt.geojson"


def _kreis(ags: str) -> GEOSGeometry:
    features = json.loads(KREISE.read_text("utf-8"))["features"]
    found = next(f for f in features if f["properties"]["AGS"] == ags)
    return GEOSGeometry(json.dumps(found["geometry"]), srid=4326)


def test_the_shared_register_imports_to_42_stations_and_79_charge_points(register):
    assert register.outcomes == {"created": 42}
    assert Station.objects.count() == 42
    assert ChargePoint.objects.count() == 79
    assert Station.objects.filter(operator=STADTWERKE).count() == 8
    assert Counter(Station.objects.values_list("kind", flat=True)) == {"normal": 27, "fast": 15}
    assert len(set(Station.objects.values_list("operator", flat=True))) == 11
    years = {s.commissioned.year for s in Station.objects.all()}
    assert min(years) == 2010
    assert max(years) == 2019
    # Longitude comes first in the file: read right, every point lies in Börde or Magdeburg
    # (the extract's two districts, 25 and 17 devices), none in the Baltic or in Africa.
    boerde, magdeburg = _kreis("15083"), _kreis("15003")
    inside = Counter(
        "boerde" if boerde.contains(s.point) else "magdeburg" if magdeburg.contains(s.point) else s
        for s in Station.objects.all()
    )
    assert inside == {"boerde": 25, "magdeburg": 17}
    zob = Station.objects.get(operator=STADTWERKE, address="Bahnhofsplatz 1")
    assert (round(zob.point.x, 4), round(zob.point.y, 4)) == (11.4069, 52.2851)  # beside the ZOB
    assert [p.plugs for p in zob.points.all()] == [["AC Steckdose Typ 2"], ["AC Steckdose Typ 2"]]


def test_the_same_release_again_changes_nothing(register):
    again = services.import_register(REGISTER, name=REGISTER.name, progress=False)
    assert again.outcomes == {"unchanged": 42}
    assert again.problems == []
    assert Station.objects.count() == 42


def _release(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8")


def test_a_later_release_updates_withdraws_and_keys_identical_devices_apart(register):
    lines = register_lines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Betreiber;"))
    rows = lines[header + 1 :]
    ionity = [r for r in rows if r.startswith("IONITY GmbH")]
    assert len(ionity) == 4  # four devices of a charging park,
    assert len(set(ionity)) == 1  # word for word the same
    dropped = next(r for r in rows if r.startswith("Charge-ON GmbH;Oschersleben") or "Völpke" in r)
    changed = [r for r in rows if r != dropped]
    stadtwerke = next(i for i, r in enumerate(changed) if "Bahnhofsplatz 1" in r)
    cells = changed[stadtwerke].split(";")
    cells[7] = "50"  # Anschlussleistung: more power
    changed[stadtwerke] = ";".join(cells)
    report = services.import_register(_release(lines[: header + 1] + changed), progress=False)
    assert report.outcomes == {"unchanged": 40, "updated": 1, "withdrawn": 1}
    assert Station.objects.filter(withdrawn=False).count() == 41
    assert Station.objects.get(address="Bahnhofsplatz 1").power_kw == 50
    assert Station.objects.filter(operator="IONITY GmbH", withdrawn=False).count() == 4


def test_broken_rows_are_reported_with_line_and_field_and_the_rest_is_kept(db):
    lines = register_lines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Betreiber;"))
    first = header + 2  # the line number of the first row in the file
    rows = lines[header + 1 :]
    cells = rows[0].split(";")
    cells[4], cells[5] = cells[5], cells[4]  # latitude where longitude belongs
    rows[0] = ";".join(cells)
    cells = rows[1].split(";")
    cells[9] = "viele"
    rows[1] = ";".join(cells)
    cells = rows[2].split(";")
    cells[8] = "Superladeeinrichtung"
    rows[2] = ";".join(cells)
    cells = rows[3].split(";")
    cells[6] = "31.02.2019"
    rows[3] = ";".join(cells)
    report = services.import_register(_release(lines[: header + 1] + rows), progress=False)
    assert report.committed
    assert report.outcomes == {"created": 38}
    problems = {(p.line, p.field): p.message for p in report.problems}
    assert "look swapped" in problems[(first, "lat/lon")]
    assert "not a whole number" in problems[(first + 1, "count")]
    assert "neither Normalladeeinrichtung" in problems[(first + 2, "kind")]
    assert "no date" in problems[(first + 3, "commissioned")]
    assert Station.objects.count() == 38
    assert Station.objects.filter(withdrawn=True).count() == 0  # nothing withdrawn on a bad run


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a binary file, not text"),
        (b"Name;Ort\r\nA;B\r\n", "no header line with the columns"),
        (b"PK\x03\x04not really a zip", "zip"),
    ],
)
def test_files_that_are_no_register_are_refused(db, data, message):
    with pytest.raises(ImportRefused) as refused:
        services.import_register(data, progress=False)
    assert message in refused.value.message
    assert Station.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_read(db):
    with pytest.raises(TooLarge) as refused:
        services.import_register(REGISTER.read_bytes(), progress=False, max_bytes=4096)
    assert refused.value.status == 413
    assert "larger than 4 KiB" in refused.value.message
    assert Station.objects.count() == 0


def test_windows_1252_from_an_office_is_read(db):
    data = REGISTER.read_text("utf-8").encode("cp1252")
    report = services.import_register(data, progress=False)
    assert report.outcomes == {"created": 42}
    assert Station.objects.filter(city="Völpke").exists()
