# SPDX-License-Identifier: EUPL-1.2
"""The departure board against an oracle computed from the feed's own files (csv, calendar and
calendar_dates by hand), the pages and the API, and a board past the end of service."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest

from hub.mobility import selectors
from tests.mobility.conftest import BERLIN, GTFS, TUESDAY, ZOB

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))


def oracle(day: dt.date, start: dt.time, hours: int) -> list[tuple[str, dt.datetime]]:
    """(trip_id, departure) at the ZOB's stops, by reading boerdebus.zip directly."""
    with zipfile.ZipFile(GTFS / "boerdebus.zip") as archive:
        stops = {
            s["stop_id"] for s in _table(archive, "stops.txt") if s["stop_id"].startswith(ZOB + ":")
        }
        calendar = {c["service_id"]: c for c in _table(archive, "calendar.txt")}
        exceptions: dict[tuple[str, str], str] = {
            (d["service_id"], d["date"]): d["exception_type"]
            for d in _table(archive, "calendar_dates.txt")
        }
        trips = {t["trip_id"]: t["service_id"] for t in _table(archive, "trips.txt")}
        last_stop: dict[str, int] = {}
        calls = []
        for row in _table(archive, "stop_times.txt"):
            sequence = int(row["stop_sequence"])
            last_stop[row["trip_id"]] = max(last_stop.get(row["trip_id"], -1), sequence)
            if row["stop_id"] in stops and row.get("pickup_type", "0") != "1":
                calls.append((row["trip_id"], sequence, row["departure_time"]))

    def runs(service: str, on: dt.date) -> bool:
        kind = exceptions.get((service, on.strftime("%Y%m%d")))
        if kind is not None:
            return kind == "1"
        c = calendar.get(service)
        if c is None:
            return False
        inside = c["start_date"] <= on.strftime("%Y%m%d") <= c["end_date"]
        return inside and c[WEEKDAYS[on.weekday()]] == "1"

    begin = dt.datetime.combine(day, start, BERLIN)
    end = begin + dt.timedelta(hours=hours)
    found = []
    for trip, sequence, text in calls:
        if sequence == last_stop[trip]:
            continue  # the trip ends here
        h, m, s = (int(x) for x in text.split(":"))
        for service_day in (day - dt.timedelta(days=1), day):
            if not runs(trips[trip], service_day):
                continue
            noon = dt.datetime.combine(service_day, dt.time(12), BERLIN)
            when = (noon - dt.timedelta(hours=12)) + dt.timedelta(hours=h, minutes=m, seconds=s)
            if begin <= when < end:
                found.append((trip, when))
    return sorted(set(found), key=lambda t: (t[1], t[0]))


def test_the_zob_board_on_a_weekday_morning_equals_the_feed_read_by_hand(boerde):
    where = selectors.place(ZOB)
    assert where.name == "Haldensleben, ZOB"
    assert len(where.stop_ids) == 8
    start = dt.datetime.combine(TUESDAY, dt.time(6, 0), BERLIN)
    board = selectors.departures(where.stop_ids, start, limit=100, window=dt.timedelta(hours=3))
    expected = oracle(TUESDAY, dt.time(6, 0), 3)
    assert len(expected) > 20
    assert [(d.trip_id, d.planned) for d in board] == expected
    assert all(d.planned.tzinfo is not None for d in board)


def test_calendar_exceptions_count(boerde):
    """A Saturday and a holiday (Christmas, calendar_dates) differ from the weekday."""
    where = selectors.place(ZOB)
    for day in (dt.date(2026, 12, 12), dt.date(2026, 12, 25)):
        board = selectors.departures(
            where.stop_ids, dt.datetime.combine(day, dt.time(6), BERLIN), limit=100
        )
        assert [(d.trip_id, d.planned) for d in board] == oracle(day, dt.time(6), 3)


def test_the_api_and_the_pages_show_the_board(client, boerde, seeded):
    answer = client.get(
        f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "2026-12-08T07:00:00+01:00", "limit": 5}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["name"] == "Haldensleben, ZOB"
    assert len(body["departures"]) == 5
    assert body["service_end"] == "2026-12-31"
    assert body["notice"] == ""
    assert "NASA GmbH" in body["attribution"][0]
    page = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/", {"ab": "2026-12-08T07:00"})
    assert page.status_code == 200
    html = page.content.decode()
    first = body["departures"][0]
    assert first["headsign"] in html
    assert 'http-equiv="refresh"' not in html
    assert "Linien an dieser Haltestelle" in html
    assert f"/t/haldensleben/mobilitaet/verbindung/?von={ZOB.replace(':', '%3A')}" in html
    live = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/")
    live_html = live.content.decode()
    assert 'data-refresh="60"' in live_html  # kept current by a script the reader can pause
    assert 'id="refresh-toggle"' in live_html
    assert 'http-equiv="refresh"' not in live_html  # WCAG 2.2.1: no refresh nobody can stop
    display = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/", {"anzeige": "1"})
    assert 'class="display"' in display.content.decode()
    assert 'http-equiv="refresh" content="60"' in display.content.decode()  # a screen, unattended
    index = client.get("/t/haldensleben/mobilitaet/", {"q": "ZOB"})
    assert f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/" in index.content.decode()
    stops = client.get("/api/v1/t/haldensleben/mobilitaet/haltestellen.geojson").json()
    assert any(f["properties"]["station"] == ZOB for f in stops["features"])
    assert all(f["properties"]["stop_id"] for f in stops["features"])


def test_past_the_end_of_service_the_board_says_so(client, boerde):
    body = client.get(
        f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "2027-01-12T07:00:00+01:00"}
    ).json()
    assert body["departures"] == []
    assert body["notice"] == "Fahrplandaten liegen nur bis 31.12.2026 vor."


@pytest.mark.parametrize(
    ("path", "query", "status", "message"),
    [
        ("/api/v1/mobilitaet/abfahrten/de:15083:0000", {}, 404, "no stop or station"),
        (f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "morgen"}, 422, "datetime"),
        (f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "9999-01-01T00:00:00Z"}, 200, "nur bis"),
        (f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "1901-01-01T00:00:00Z"}, 200, "erst ab"),
        (f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"limit": "0"}, 422, ""),
        (f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "2026-12-08T07:00:00\x00"}, 400, "NUL"),
    ],
)
def test_bad_board_requests_get_a_reason(client, boerde, path, query, status, message):
    answer = client.get(path, query)
    assert answer.status_code == status, answer.content
    assert message in answer.content.decode()


def test_lines_with_their_shapes_are_a_layer_geojson_and_pages(client, boerde, seeded):
    from django.db import connection
    from django.urls import reverse

    assert boerde.counts["shapes"] > 0
    lines = client.get("/api/v1/t/haldensleben/mobilitaet/linien.geojson").json()
    assert lines["features"], lines
    first = lines["features"][0]
    assert first["geometry"]["type"] == "MultiLineString"
    assert "NASA GmbH" in lines["attribution"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT id) FROM ogc.linien WHERE tenant = %s",
            ["haldensleben"],
        )
        rows, ids = cursor.fetchone()
    assert rows == ids == len(lines["features"])
    page = client.get("/t/haldensleben/mobilitaet/linien/")
    assert page.status_code == 200
    feed, route = first["properties"]["feed"], first["properties"]["route_id"]
    address = reverse(
        "mobility:line", kwargs={"slug": "haldensleben", "feed": feed, "route": route}
    )
    assert address in page.content.decode()
    one = client.get(address)
    assert one.status_code == 200
    detail = client.get(f"/api/v1/mobilitaet/linien/{feed}/{route}").json()
    assert len(detail["stations"]) >= 2
    assert detail["stations"][0]["name"] in one.content.decode()
    missing = client.get(f"/api/v1/mobilitaet/linien/{feed}/gibt-es-nicht")
    assert missing.status_code == 404
