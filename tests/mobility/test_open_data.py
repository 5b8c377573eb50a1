# SPDX-License-Identifier: EUPL-1.2
"""The merged regional feed (valid GTFS, stations, the accessibility staff curated), its
download, the catalogue's datasets of the mobility centre, and the curation page."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from hub.core.errors import Forbidden, Invalid
from hub.core.registry import registry
from hub.mobility import export, services, validation
from hub.mobility.models import StopAccess
from hub.tenancy.models import Role
from tests.mobility.conftest import ZOB, feed_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # staff sign in like this in tests


@pytest.fixture
def both(feeds, tmp_path, settings):
    settings.STATE_DIR = tmp_path
    for slug, name in (("boerdebus", "boerdebus.zip"), ("mvb-magdeburg", "mvb_magdeburg.zip")):
        services.import_feed(feeds[slug], feed_bytes(name), progress=False)


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.TextIOWrapper(archive.open(name), "utf-8-sig")))


def test_the_merged_feed_is_valid_gtfs_with_stations_and_curated_accessibility(both, seeded):
    services.set_accessibility(seeded["haldensleben"], f"{ZOB}::01", 1, "Kasseler Sonderbord")
    path = export.merged()
    data = path.read_bytes()
    notices = validation.validate(data, name="regional")
    assert [n.text() for n in notices if n.severity == validation.ERROR] == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        stops = {s["stop_id"]: s for s in _table(archive, "stops.txt")}
        trips = _table(archive, "trips.txt")
        stop_times = sum(1 for _ in _table(archive, "stop_times.txt"))
        info = _table(archive, "feed_info.txt")[0]
    assert stops[ZOB]["location_type"] == "1"  # the station, from the DHID
    platform = stops[f"{ZOB}::01"]
    assert platform["parent_station"] == ZOB
    assert platform["wheelchair_boarding"] == "1"
    assert stops[f"{ZOB}::02"]["wheelchair_boarding"] == "0"
    # 939 + 735 stops, of which 36 the feeds share, plus one row per station of several stops.
    platforms = [s for s in stops.values() if s["location_type"] == "0"]
    assert len(platforms) == 939 + 735 - 36
    assert len(trips) == 2850 + 8382
    assert len({t["trip_id"] for t in trips}) == len(trips)
    assert stop_times == 37367 + 138125
    assert info["feed_publisher_name"] == export.PUBLISHER
    # The same data again: the same file; a curation: a new one.
    assert export.merged() == path
    services.set_accessibility(seeded["haldensleben"], f"{ZOB}::02", 2)
    again = export.merged()
    assert again != path
    assert not path.exists()


def test_staff_may_curate_only_stops_of_their_area(both, seeded):
    with pytest.raises(Forbidden, match="nicht im Gebiet"):
        services.set_accessibility(seeded["haldensleben"], "de:15003:7330::01", 1)
    with pytest.raises(Invalid):
        services.set_accessibility(seeded["haldensleben"], f"{ZOB}::01", 7)
    with pytest.raises(Invalid):
        services.set_accessibility(seeded["haldensleben"], f"{ZOB}::01", 1, "x" * 301)
    assert not StopAccess.objects.exists()


def test_the_download_and_the_catalogue_datasets(client, both, seeded):
    answer = client.get("/api/v1/mobilitaet/gtfs/regional.zip")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    body = b"".join(answer.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    datasets = {
        (d.tenant, d.identifier): d for provider in registry.public_datasets for d in provider()
    }
    regional = datasets["landkreis-boerde", "fahrplan-gtfs"]
    assert regional.resources[0].url.endswith("/api/v1/mobilitaet/gtfs/regional.zip")
    assert "NASA GmbH" in regional.attribution
    assert regional.themes == ("TRAN",)
    lines = datasets["haldensleben", "liniennetz"]
    assert {r.format for r in lines.resources} == {"GeoJSON", "WFS"}


def test_the_curation_page_is_for_the_tenants_editors(client, both, seeded, make_user):
    address = "/t/haldensleben/mobilitaet/barrierefreiheit/"
    assert client.get(address).status_code == 302  # sign in first
    elsewhere = make_user("ed-hb", (seeded["hohe-boerde"], Role.EDITOR))
    client.force_login(elsewhere, backend=MODEL_BACKEND)
    assert client.get(address).status_code == 403
    posted = client.post(address, {"stop_id": f"{ZOB}::01", "wheelchair": "1"})
    assert posted.status_code == 403
    assert not StopAccess.objects.exists()
    editor = make_user("ed-hdl", (seeded["haldensleben"], Role.EDITOR))
    client.force_login(editor, backend=MODEL_BACKEND)
    listing = client.get(address)
    assert listing.status_code == 200
    assert f"?station={ZOB.replace(':', '%3A')}" in listing.content.decode()
    station = client.get(address, {"station": ZOB})
    assert f"{ZOB}::01" in station.content.decode()
    saved = client.post(
        address, {"stop_id": f"{ZOB}::01", "wheelchair": "1", "note": "Rampe", "station": ZOB}
    )
    assert saved.status_code == 302
    assert StopAccess.objects.get(stop_id=f"{ZOB}::01").note == "Rampe"
    refused = client.post(address, {"stop_id": "de:15003:7330::01", "wheelchair": "1"}, follow=True)
    assert "nicht im Gebiet" in refused.content.decode()
    board = client.get(f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "2026-12-08T07:00:00+01:00"})
    assert board.json()["accessibility"] == [
        {"stop_id": f"{ZOB}::01", "wheelchair": 1, "label": "stufenlos erreichbar", "note": "Rampe"}
    ]
