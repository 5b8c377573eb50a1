# SPDX-License-Identifier: EUPL-1.2
"""The tenant's sensor data as open data: latest values, a datastream's range, a day as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from hub.core.registry import registry
from tests.sensors.conftest import sample
from tests.sensors.test_webhooks import CHIRPSTACK, post

pytestmark = pytest.mark.django_db
BASE = "/api/v1/t/haldensleben/sensoren"


def rows(answer) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_latest_values_and_csv_of_a_range(client, stations):
    stored = post(client, CHIRPSTACK, sample("chirpstack_v4_up_thingsboard_milesight_am103.json"))
    assert stored.status_code == 202
    streams = stations["haldensleben"].streams
    latest = client.get(f"{BASE}/aktuell.json").json()
    by_id = {d["datastream"]: d for d in latest["datastreams"]}
    assert by_id[streams["co2"].pk]["result"] == 453.0
    assert by_id[streams["co2"].pk]["unit"] == "ppm"
    assert by_id[streams["co2"].pk]["time"].startswith("2023-05-22T07:47:05")
    assert by_id[streams["luminosity"].pk]["result"] is None  # no value yet
    assert stations["barleben"].streams["co2"].pk not in by_id  # another tenant's
    url = f"{BASE}/datenstroeme/{streams['temperature'].pk}/beobachtungen.csv"
    answer = client.get(url, {"von": "2023-05-22", "bis": "2023-05-23"})
    assert answer["Content-Type"].startswith("text/csv")
    assert rows(answer) == [
        ["datastream", "phenomenon_time", "result"],
        [str(streams["temperature"].pk), "2023-05-22T07:47:05.404859+00:00", "28.0"],
    ]
    day = client.get(f"{BASE}/tag.csv", {"datum": "2023-05-22"})
    assert len(rows(day)) == 1 + 4
    assert rows(client.get(f"{BASE}/tag.csv", {"datum": "2023-05-21"})) == [
        ["datastream", "phenomenon_time", "result"]
    ]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"von": "gestern"}, 400, "von must be a W3C date-time"),
        ({"von": "2023-13-01"}, 400, "von must be a W3C date-time"),  # was a 500 (ValueError)
        ({"bis": "0001-01-01T00:00:00Z"}, 400, "between 1900 and 2200"),  # was an overflow
        ({"von": "2023-05-22t06:00:00z", "bis": "2023-05-23"}, 200, ""),  # RFC 3339 allows it
        ({"von": "2023-05-23", "bis": "2023-05-22"}, 400, "after"),
        ({"von": "2020-01-01", "bis": "2023-01-01"}, 400, "at most 366 days"),
    ],
)
def test_bad_ranges_are_refused(client, stations, query, status, message):
    url = f"{BASE}/datenstroeme/{stations['haldensleben'].streams['co2'].pk}/beobachtungen.csv"
    answer = client.get(url, query)
    assert answer.status_code == status
    if status != 200:
        assert message in answer.json()["detail"]


def test_another_tenants_datastream_is_not_found_here(client, stations):
    theirs = stations["barleben"].streams["co2"].pk
    assert client.get(f"{BASE}/datenstroeme/{theirs}/beobachtungen.csv").status_code == 404
    assert client.get(f"{BASE}/tag.csv", {"datum": "kein-datum"}).status_code == 400
    assert client.get("/api/v1/t/atlantis/sensoren/aktuell.json").status_code == 404


def test_each_sensor_network_is_an_open_dataset(stations):
    mine = [d for d in registry.all_public_datasets() if d.identifier == "sensoren"]
    assert sorted(d.tenant for d in mine) == ["barleben", "haldensleben"]
    formats = [r.format for r in mine[0].resources]
    assert formats[:2] == ["JSON", "CSV"]
    assert "WMS" in formats


def test_private_things_stay_out_of_the_open_data(client, stations):
    from hub.sensors.models import Thing
    from hub.tenancy.context import system_context

    stored = post(client, CHIRPSTACK, sample("chirpstack_v4_up_thingsboard_milesight_am103.json"))
    assert stored.status_code == 202
    station = stations["haldensleben"]
    with system_context():
        Thing.objects.filter(pk=station.thing.pk).update(public=False)
    latest = client.get(f"{BASE}/aktuell.json").json()["datastreams"]
    assert station.streams["co2"].pk not in {d["datastream"] for d in latest}
    url = f"{BASE}/datenstroeme/{station.streams['co2'].pk}/beobachtungen.csv"
    assert client.get(url, {"von": "2023-05-22", "bis": "2023-05-23"}).status_code == 404
    day = client.get(f"{BASE}/tag.csv", {"datum": "2023-05-22"})
    assert rows(day) == [["datastream", "phenomenon_time", "result"]]
