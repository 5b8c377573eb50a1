# SPDX-License-Identifier: EUPL-1.2
"""GBFS in and out. Feeds built from the specification's examples (2.3 and 3.0) are served by a
real local HTTP server (no sharing operator's feed can be reached here) and ingested; broken
feeds are refused and the last good state stays; a fleet staff maintain in the hub is
published as GBFS 3.0 and passes the GBFS validator (gbfs-validator: MobilityData's rules)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from gbfs_validator import validate_feed

from hub.sharing import services
from hub.sharing.models import Feed, Fleet, FleetVehicle, Station, Vehicle, Zone
from hub.tenancy.context import system_context
from hub.tenancy.models import Role
from tests.local_http import FilesServer, serving
from tests.sharing.gbfs_examples import feed as example_feed

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def server():
    feed_server = FilesServer()
    with serving(feed_server):
        yield feed_server


def _feed(server: FilesServer, version: str, first: str) -> Feed:
    files = example_feed(version, server.url)
    server.publish(files)
    return Feed.objects.create(
        slug=f"beispiel-{version}",
        name=f"GBFS {version} example",
        url=f"{server.url}/{first}",
        docked=True,
        free_floating=True,
    )


@pytest.mark.parametrize(("version", "first"), [("2.3", "gbfs.json"), ("3.0", "manifest.json")])
def test_feeds_built_from_the_specifications_examples_are_ingested(server, version, first):
    feed = _feed(server, version, first)
    files = example_feed(version, server.url)
    assert services.poll(feed), feed.error
    feed.refresh_from_db()
    assert feed.version == version
    assert feed.error == ""
    assert feed.system["system_id"] == files["system_information.json"]["data"]["system_id"]
    stations = files["station_information.json"]["data"]["stations"]
    assert sorted(Station.objects.values_list("station_id", flat=True)) == sorted(
        s["station_id"] for s in stations
    )
    status = {s["station_id"]: s for s in files["station_status.json"]["data"]["stations"]}
    for station in Station.objects.all():
        wanted = status[station.station_id]
        assert station.vehicles_available == wanted.get(
            "num_vehicles_available", wanted.get("num_bikes_available")
        )
    moving = files.get("vehicle_status.json") or files["free_bike_status.json"]
    listed = moving["data"].get("vehicles") or moving["data"]["bikes"]
    assert Vehicle.objects.count() == len(listed)
    assert Zone.objects.count() == len(
        files["geofencing_zones.json"]["data"]["geofencing_zones"]["features"]
    )


def test_a_broken_feed_is_reported_and_the_last_good_state_stays(server):
    feed = _feed(server, "3.0", "gbfs.json")
    assert services.poll(feed)
    good = sorted(Station.objects.values_list("station_id", "vehicles_available"))
    good_at = Feed.objects.get().good_at

    files = example_feed("3.0", server.url)
    del files["station_information.json"]["data"]["stations"][0]["lat"]
    server.publish(files)
    assert not services.poll(feed)
    feed.refresh_from_db()
    assert "validation notice" in feed.error
    assert any(
        n["file"] == "station_information.json" and "lat" in n["message"] for n in feed.notices
    ), feed.notices
    assert sorted(Station.objects.values_list("station_id", "vehicles_available")) == good
    assert feed.good_at == good_at

    files = example_feed("3.0", server.url)
    files["gbfs.json"]["version"] = "1.1"
    server.publish(files)
    assert not services.poll(feed)
    feed.refresh_from_db()
    assert "version '1.1'" in feed.error

    files = example_feed("3.0", server.url)
    files["vehicle_status.json"]["data"]["vehicles"] = [
        {
            "vehicle_id": f"v{n}",
            "lat": 52.29,
            "lon": 11.41,
            "is_reserved": False,
            "is_disabled": False,
            "vehicle_type_id": "abc123",
            "last_reported": "2023-07-17T13:34:13+02:00",
        }
        for n in range(50_000)
    ]
    server.publish(files)
    assert not services.poll(feed)
    feed.refresh_from_db()
    assert "50,000 vehicles" in feed.error
    assert Vehicle.objects.count() == 2  # still the good state

    server.files["station_status.json"] = b"<html>Wartung</html>"
    assert not services.poll(feed)
    feed.refresh_from_db()
    assert "not JSON" in feed.error
    del server.files["gbfs.json"]
    assert not services.poll(feed)
    assert "404" in Feed.objects.get().error
    assert sorted(Station.objects.values_list("station_id", "vehicles_available")) == good


@pytest.fixture
def fleet(seeded):
    tenant = seeded["haldensleben"]
    with system_context():
        fleet = Fleet.objects.create(
            tenant=tenant,
            system_id="haldensleben-lastenrad",
            name="Lastenräder Haldensleben",
            operator="Stadt Haldensleben",
            email="mobilitaet@haldensleben.de",
        )
        rathaus = services.set_station(
            tenant,
            fleet,
            station_id="rathaus",
            name="Rathaus",
            lat=52.2891,
            lon=11.4098,
            capacity=4,
            address="Markt 20",
        )
        services.set_station(
            tenant,
            fleet,
            station_id="bahnhof",
            name="Bahnhof",
            lat=52.2869,
            lon=11.4180,
            capacity=2,
        )
        services.set_vehicle(
            tenant,
            fleet,
            vehicle_id="emma",
            name="Emma",
            form_factor="cargo_bicycle",
            propulsion="electric_assist",
            max_range_m=40_000,
            station_id="rathaus",
        )
        services.set_vehicle(
            tenant,
            fleet,
            vehicle_id="karl",
            name="Karl",
            form_factor="cargo_bicycle",
            propulsion="human",
            station_id="rathaus",
        )
        services.set_vehicle(
            tenant,
            fleet,
            vehicle_id="otto",
            name="Otto",
            form_factor="bicycle",
            propulsion="human",
            station_id="bahnhof",
            is_disabled=True,
        )
    assert rathaus.capacity == 4
    return fleet


@pytest.mark.django_db(transaction=True)
def test_the_hubs_own_fleet_is_gbfs_3_that_passes_the_validator(live_server, settings, fleet):
    settings.HUB_PUBLIC_URL = live_server.url
    url = f"{live_server.url}/api/v1/gbfs/haldensleben-lastenrad/gbfs.json"
    report = validate_feed(url, docked=True)
    problems = services.notices(report)
    assert report["summary"]["hasErrors"] is False, problems
    assert report["summary"]["version"]["detected"] == "3.0"
    checked = {f["file"] for f in report["files"] if f.get("exists")}
    assert {"system_information.json", "station_status.json", "vehicle_status.json"} <= checked
    status = Client().get("/api/v1/gbfs/haldensleben-lastenrad/station_status.json").json()
    rathaus = next(s for s in status["data"]["stations"] if s["station_id"] == "rathaus")
    assert rathaus["num_vehicles_available"] == 2
    assert rathaus["num_docks_available"] == 2
    vehicles = Client().get("/api/v1/gbfs/haldensleben-lastenrad/vehicle_status.json").json()
    assert len(vehicles["data"]["vehicles"]) == 2  # Otto is out of service: not listed
    assert "emma" not in json.dumps(vehicles)  # published ids are not the staff's names
    # The hub reads its own feed like any other (through the manifest).
    mine = Feed.objects.create(
        slug="eigene", name="eigene", url=f"{live_server.url}/api/v1/gbfs/manifest.json"
    )
    assert services.poll(mine), mine.error
    assert mine.stations.get(station_id="rathaus").vehicles_available == 2


def test_staff_maintain_their_fleet_and_bad_input_writes_nothing(client, fleet, seeded, make_user):
    address = "/t/haldensleben/sharing/verwalten/"
    other = make_user("ed-hb", (seeded["hohe-boerde"], Role.EDITOR))
    client.force_login(other, backend=MODEL_BACKEND)
    assert client.get(address).status_code == 403
    assert client.post(address, {"action": "vehicle", "fleet": fleet.system_id}).status_code == 403
    editor = make_user("ed-hdl", (seeded["haldensleben"], Role.EDITOR))
    client.force_login(editor, backend=MODEL_BACKEND)
    page = client.get(address)
    assert page.status_code == 200
    assert "Emma" in page.content.decode()
    before = list(FleetVehicle.objects.values_list("vehicle_id", "station_id", "is_disabled"))
    for bad, message in (
        ({"station_id": "rathaus", "form_factor": "rakete"}, "Art: eine von"),
        ({"station_id": "gibt-es-nicht"}, "Keine Station"),
        ({"station_id": "bahnhof", "vehicle_id": "neu"}, "ist voll"),
        ({"propulsion": "electric", "max_range_m": ""}, "braucht seine Reichweite"),
        ({"max_range_m": "weit"}, "ist keine Zahl"),
    ):
        fields = {
            "action": "vehicle",
            "fleet": fleet.system_id,
            "vehicle_id": "karl",
            "name": "Karl",
            "form_factor": "cargo_bicycle",
            "propulsion": "human",
            "station_id": "",
        }
        if bad.get("station_id") == "bahnhof":  # Bahnhof has 2 places: Otto and one more
            client.post(address, {**fields, "vehicle_id": "paul", "station_id": "bahnhof"})
            before = list(
                FleetVehicle.objects.values_list("vehicle_id", "station_id", "is_disabled")
            )
        answer = client.post(address, {**fields, **bad}, follow=True)
        assert message in answer.content.decode(), message
        assert (
            list(FleetVehicle.objects.values_list("vehicle_id", "station_id", "is_disabled"))
            == before
        )
    outside = client.post(
        address,
        {
            "action": "station",
            "fleet": fleet.system_id,
            "station_id": "berlin",
            "name": "Berlin",
            "lat": "52.52",
            "lon": "13.40",
            "capacity": "3",
        },
        follow=True,
    )
    assert "außerhalb des Gebiets" in outside.content.decode()
    twice = client.post(
        address,
        {"action": "fleet", "system_id": "haldensleben-lastenrad", "name": "x", "email": "a@b.de"},
        follow=True,
    )
    assert "gibt es schon" in twice.content.decode()
    moved = client.post(
        address,
        {
            "action": "vehicle",
            "fleet": fleet.system_id,
            "vehicle_id": "karl",
            "name": "Karl",
            "form_factor": "cargo_bicycle",
            "propulsion": "human",
            "station_id": "",
        },
    )
    assert moved.status_code == 302
    public = client.get("/t/haldensleben/sharing/").content.decode()
    assert "Lastenräder Haldensleben" in public
    assert "1 Fahrzeug ausleihbar" in public  # Karl is out on a ride; Emma is at the town hall
