# SPDX-License-Identifier: EUPL-1.2
"""Departures near a place: the nearest stations against a haversine walk over the feed's own
stops.txt, each station's departures as its board has them, the page without script, and bad
input."""

from __future__ import annotations

import csv
import io
import math
import zipfile

import pytest
from django.core.management import call_command

from connectors.gtfs import station_of
from hub.mobility import selectors
from tests.mobility.conftest import GTFS, ZOB

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
AT = "2026-12-08T07:00:00+01:00"  # a Tuesday inside the Börde feed's service
NEAR_ZOB = (52.2862, 11.4090)  # some 180 m from Haldensleben's bus station (lat, lon)
EARTH = 6_370_986  # metres: PostGIS's sphere (ST_DistanceSphere)


def _oracle(lat: float, lon: float, radius: int) -> list[tuple[str, float]]:
    """(station, metres to its nearest stop) within `radius`, nearest first: boerdebus.zip's
    stops.txt read with csv, distances by the haversine formula."""
    with zipfile.ZipFile(GTFS / "boerdebus.zip") as archive, archive.open("stops.txt") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))
    best: dict[str, float] = {}
    for row in rows:
        p1, p2 = math.radians(lat), math.radians(float(row["stop_lat"]))
        dp, dl = p2 - p1, math.radians(float(row["stop_lon"]) - lon)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        metres = 2 * EARTH * math.asin(math.sqrt(h))
        station = station_of(row["stop_id"], row.get("parent_station", ""))
        if metres <= radius and metres < best.get(station, math.inf):
            best[station] = metres
    return sorted(best.items(), key=lambda kv: (kv[1], kv[0]))


@pytest.mark.parametrize(("point", "radius"), [(NEAR_ZOB, 1000), ((52.2069, 11.1797), 2000)])
def test_the_nearest_stations_are_those_a_walk_over_stops_txt_finds(boerde, point, radius):
    expected = _oracle(*point, radius)
    assert expected, "the point should have stops around it"
    found = selectors.stations_near(point[1], point[0], radius=radius, limit=len(expected) + 5)
    assert [p.key for p, _ in found] == [s for s, _ in expected]
    for (_place, metres), (_station, exact) in zip(found, expected, strict=True):
        assert abs(metres - exact) <= 1


def test_the_api_lists_the_nearest_stations_with_their_boards(client, boerde):
    answer = client.get(
        "/api/v1/mobilitaet/in-der-naehe",
        {"ort": f"geo:{NEAR_ZOB[0]},{NEAR_ZOB[1]}", "at": AT, "limit": 4, "stationen": 3},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["place"]["kind"] == "point"
    assert body["notice"] == ""
    assert len(body["stations"]) == 3
    metres = [s["metres"] for s in body["stations"]]
    assert metres == sorted(metres)
    assert metres[-1] <= 1000
    assert ZOB in [s["station"] for s in body["stations"]]
    assert "NASA GmbH" in body["attribution"][0]
    for station in body["stations"]:
        assert station["walk_minutes"] >= station["metres"] / 1.25 / 60  # never faster than a walk
        board = client.get(
            f"/api/v1/mobilitaet/abfahrten/{station['station']}", {"at": AT, "limit": 4}
        ).json()
        assert station["departures"] == board["departures"]
        assert station["name"] == board["name"]


def test_a_station_or_an_address_is_a_place_to_start_from(client, boerde):
    call_command("seed", "--only", "addresses")
    by_name = client.get(
        "/api/v1/mobilitaet/in-der-naehe", {"ort": "Haldensleben, ZOB", "at": AT}
    ).json()
    assert by_name["stations"][0]["station"] == ZOB
    assert by_name["stations"][0]["metres"] <= 60  # the station's own stops, around its point
    by_address = client.get(
        "/api/v1/mobilitaet/in-der-naehe", {"ort": "Bahnhofstraße 1, 39340 Haldensleben", "at": AT}
    )
    assert by_address.status_code == 200, by_address.content
    assert by_address.json()["place"]["kind"] == "address"
    assert by_address.json()["stations"]


def test_far_from_any_stop_the_answer_says_so(client, boerde):
    body = client.get("/api/v1/mobilitaet/in-der-naehe", {"ort": "geo:48.137,11.575"}).json()
    assert body["stations"] == []
    assert body["notice"] == "Im Umkreis von 1000 m liegt keine Haltestelle."


def test_past_the_end_of_service_each_station_says_so(client, boerde):
    body = client.get(
        "/api/v1/mobilitaet/in-der-naehe",
        {"ort": f"geo:{NEAR_ZOB[0]},{NEAR_ZOB[1]}", "at": "2027-01-12T07:00:00+01:00"},
    ).json()
    assert body["stations"]
    for station in body["stations"]:
        assert station["departures"] == []
        assert station["notice"] == "Fahrplandaten liegen nur bis 31.12.2026 vor."


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({}, 422, "query.ort: Field required"),
        ({"ort": ""}, 422, "at least 1"),
        ({"ort": "   "}, 404, "Bitte einen Ort angeben"),
        ({"ort": "geo:Norden,11.4"}, 404, "kennt der Datenhub nicht"),
        ({"ort": "geo:52.28,11.41", "at": "morgen"}, 422, "query.at"),
        ({"ort": "geo:95,11"}, 400, "keine gültige Koordinate"),
        ({"ort": "Irgendwo 5, Nirgendwo"}, 404, "kennt der Datenhub nicht"),
        ({"ort": "x" * 201}, 422, "at most 200"),
        ({"ort": "ZOB\x00"}, 400, "NUL"),
        ({"ort": "geo:52.28,11.41", "umkreis": "5000"}, 422, "less than or equal"),
        ({"ort": "geo:52.28,11.41", "stationen": "0"}, 422, "greater than or equal"),
    ],
)
def test_bad_nearby_requests_get_a_reason(client, boerde, query, status, message):
    answer = client.get("/api/v1/mobilitaet/in-der-naehe", query)
    assert answer.status_code == status, answer.content
    assert message in answer.content.decode()


def test_the_page_answers_a_typed_place_without_script(client, boerde, seeded):
    page = client.get("/t/haldensleben/mobilitaet/in-der-naehe/", {"ort": "Haldensleben, ZOB"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/t/haldensleben/mobilitaet/abfahrten/{ZOB}/"' in html
    assert "Minuten zu Fuß" in html or "Minute zu Fuß" in html
    assert 'class="near-locate" hidden' in html  # the position button only where script runs
    wrong = client.get("/t/haldensleben/mobilitaet/in-der-naehe/", {"ort": "Irgendwo 5, Nirgendwo"})
    assert wrong.status_code == 404
    assert "kennt der Datenhub nicht" in wrong.content.decode()
    blank = client.get("/t/haldensleben/mobilitaet/in-der-naehe/")
    assert blank.status_code == 200
    assert 'name="ort"' in blank.content.decode()


def test_the_mobility_page_has_the_network_map_and_the_nearby_form(client, boerde, seeded):
    html = client.get("/t/haldensleben/mobilitaet/").content.decode()
    assert 'id="network-map"' in html
    assert 'data-lines="/api/v1/t/haldensleben/mobilitaet/linien.geojson"' in html
    assert 'action="/t/haldensleben/mobilitaet/in-der-naehe/"' in html
    searched = client.get("/t/haldensleben/mobilitaet/", {"q": "gibt es nicht"}).content.decode()
    assert 'id="network-map"' in searched  # the map does not hang on the list's filter
