# SPDX-License-Identifier: EUPL-1.2
"""GTFS-Realtime applied to the boards. A live GTFS-RT partner cannot run here: the tests
serve FeedMessages built with gtfs-realtime-bindings (the specification's own bindings) from
the static Börde feed, over a real local HTTP server, and poll it as beat does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from google.transit import gtfs_realtime_pb2 as rt

from connectors import gtfs_rt
from connectors.gtfs import GtfsInvalid
from hub.mobility import realtime, selectors
from tests.local_http import LocalServer, QuietHandler, serving
from tests.mobility.conftest import BERLIN, TUESDAY, ZOB

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


class Partner(LocalServer):
    """Serves whatever `body` holds as the GTFS-RT feed."""

    body = b""

    def __init__(self):
        super().__init__(Handler)


class Handler(QuietHandler):
    server: Partner

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)


@pytest.fixture
def partner(boerde):
    with serving(Partner()) as server:
        feed = boerde.feed
        feed.realtime_url = f"{server.url}/gtfs-rt"
        feed.save()
        cache.delete(f"hub:mobility:rt:{feed.slug}")
        yield server, feed
        cache.delete(f"hub:mobility:rt:{feed.slug}")


def message(*updates, age: dt.timedelta = dt.timedelta(0)) -> bytes:
    feed = rt.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    feed.header.incrementality = rt.FeedHeader.FULL_DATASET
    feed.header.timestamp = int((timezone.now() - age).timestamp())
    for i, (trip_id, day, sequence, delay, cancelled) in enumerate(updates):
        entity = feed.entity.add(id=f"tu-{i}")
        entity.trip_update.trip.trip_id = trip_id
        entity.trip_update.trip.start_date = day.strftime("%Y%m%d")
        if cancelled:
            entity.trip_update.trip.schedule_relationship = rt.TripDescriptor.CANCELED
            continue
        stop = entity.trip_update.stop_time_update.add(stop_sequence=sequence)
        stop.arrival.delay = delay
        stop.departure.delay = delay
    return feed.SerializeToString()


def morning() -> list[selectors.Departure]:
    where = selectors.place(ZOB)
    return selectors.departures(where.stop_ids, dt.datetime.combine(TUESDAY, dt.time(7), BERLIN))


def board(client) -> dict:
    answer = client.get(f"/api/v1/mobilitaet/abfahrten/{ZOB}", {"at": "2026-12-08T07:00:00+01:00"})
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_delay_and_a_cancellation_show_within_one_poll(client, partner, seeded):
    server, feed = partner
    first, second = morning()[:2]
    server.body = message(
        (first.trip_id, first.day, first.sequence, 300, False),
        (second.trip_id, second.day, second.sequence, 0, True),
        ("fremde-fahrt-4711", TUESDAY, 3, 600, False),  # another agency's trip: no effect
    )
    assert board(client)["realtime"] == []  # nothing polled yet: the plan only
    assert realtime.poll(feed).failures == 0
    shown = {d["trip_id"]: d for d in board(client)["departures"]}
    delayed = shown[first.trip_id]
    assert delayed["delay"] == 300
    planned = dt.datetime.fromisoformat(delayed["planned"])
    assert dt.datetime.fromisoformat(delayed["expected"]) - planned == dt.timedelta(minutes=5)
    assert shown[second.trip_id]["cancelled"] is True
    others = [d for t, d in shown.items() if t not in (first.trip_id, second.trip_id)]
    assert all(d["delay"] is None and not d["cancelled"] for d in others)
    [live] = board(client)["realtime"]
    assert live["feed"] == "boerdebus"
    assert live["stale"] is False
    page = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/", {"ab": "2026-12-08T07:00"})
    html = page.content.decode()
    assert "fällt aus" in html
    assert "voraussichtlich" in html


def test_stale_data_is_named_and_not_applied(client, partner, seeded):
    server, feed = partner
    first = morning()[0]
    server.body = message(
        (first.trip_id, first.day, first.sequence, 300, False), age=dt.timedelta(minutes=3)
    )
    realtime.poll(feed)
    body = board(client)
    assert body["realtime"][0]["stale"] is True
    assert all(d["delay"] is None for d in body["departures"])
    page = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/", {"ab": "2026-12-08T07:00"})
    assert "Echtzeitdaten sind veraltet" in page.content.decode()


def test_garbage_keeps_the_last_good_state_and_backs_off(client, partner):
    server, feed = partner
    first = morning()[0]
    server.body = message((first.trip_id, first.day, first.sequence, 120, False))
    now = timezone.now()
    realtime.poll(feed, now=now)
    server.body = b"\x08\x96\x01 kein protobuf \xff\xfe"
    failed = realtime.poll(feed, now=now + dt.timedelta(seconds=31))
    assert failed.failures == 1
    assert "not a GTFS-Realtime FeedMessage" in failed.error
    assert failed.next_at == now + dt.timedelta(seconds=61)
    # Not due yet: nothing is fetched; then the wait doubles.
    assert realtime.poll(feed, now=now + dt.timedelta(seconds=40)).failures == 1
    again = realtime.poll(feed, now=now + dt.timedelta(seconds=62))
    assert again.failures == 2
    assert again.next_at == now + dt.timedelta(seconds=122)
    shown = {d["trip_id"]: d for d in board(client)["departures"]}
    assert shown[first.trip_id]["delay"] == 120  # the last good feed still counts


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no header"),
        (b"\xff\xff\xff\xff", "not a GTFS-Realtime FeedMessage"),
        (None, "version"),
    ],
)
def test_what_is_not_gtfs_realtime_is_refused(data, reason):
    if data is None:
        feed = rt.FeedMessage()
        feed.header.gtfs_realtime_version = "9.9"
        data = feed.SerializeToString()
    with pytest.raises(GtfsInvalid, match=reason):
        gtfs_rt.parse(data)


def test_journeys_avoid_a_cancelled_trip_and_show_a_delay(client, partner):
    from hub.mobility.journeys import network

    server, feed = partner
    network.forget()
    query = {"von": ZOB, "nach": "de:15083:1087", "zeit": "2026-12-08T07:00:00+01:00"}

    def first_ride() -> dict:
        answer = client.get("/api/v1/mobilitaet/verbindungen", query)
        assert answer.status_code == 200, answer.content
        journeys = answer.json()["journeys"]
        assert journeys, answer.content
        return next(leg for leg in journeys[0]["legs"] if leg["kind"] == "ride")

    planned = first_ride()
    assert planned["delay_departure"] is None
    server.body = message((planned["trip_id"], TUESDAY, 1, 0, True))
    realtime.poll(feed, force=True)
    instead = first_ride()
    assert instead["trip_id"] != planned["trip_id"]
    server.body = message((planned["trip_id"], TUESDAY, 0, 300, False))  # from the first stop on
    realtime.poll(feed, force=True)
    delayed = first_ride()
    assert delayed["trip_id"] == planned["trip_id"]
    assert delayed["delay_departure"] == 300
    network.forget()


def test_alerts_and_vehicle_positions_show_on_boards_and_lines(client, partner, seeded):
    from hub.mobility import selectors as sel

    server, feed = partner
    [line] = [r for r in sel.lines_in(_haldensleben()) if r.short_name == "600"][:1]
    trip = line.trips.first()
    feed_message = rt.FeedMessage()
    feed_message.header.gtfs_realtime_version = "2.0"
    feed_message.header.timestamp = int(timezone.now().timestamp())
    alert = feed_message.entity.add(id="a1").alert
    alert.informed_entity.add(stop_id=f"{ZOB}::01")
    alert.header_text.translation.add(text="Steig 1 gesperrt", language="de")
    alert.description_text.translation.add(text="Bitte Steig 2 nutzen.", language="de")
    route_alert = feed_message.entity.add(id="a2").alert
    route_alert.informed_entity.add(route_id=line.route_id)
    route_alert.header_text.translation.add(text="Umleitung der Linie 600", language="de")
    other = feed_message.entity.add(id="a3").alert
    other.informed_entity.add(stop_id="de:15003:9999::01")
    other.header_text.translation.add(text="Anderswo", language="de")
    vehicle = feed_message.entity.add(id="v1").vehicle
    vehicle.trip.trip_id = trip.trip_id
    vehicle.position.latitude, vehicle.position.longitude = 52.2850, 11.4076
    vehicle.vehicle.label = "Bus 17"
    server.body = feed_message.SerializeToString()
    realtime.poll(feed, force=True)
    shown = board(client)
    assert [a["header"] for a in shown["alerts"]] == ["Steig 1 gesperrt"]
    page = client.get(f"/t/haldensleben/mobilitaet/abfahrten/{ZOB}/", {"ab": "2026-12-08T07:00"})
    assert "Bitte Steig 2 nutzen." in page.content.decode()
    detail = client.get(f"/api/v1/mobilitaet/linien/boerdebus/{line.route_id}").json()
    assert "Umleitung der Linie 600" in [a["header"] for a in detail["alerts"]]
    assert "Anderswo" not in [a["header"] for a in detail["alerts"]]
    [moving] = detail["vehicles"]
    assert moving["label"] == "Bus 17"
    assert moving["near"] == "Haldensleben, ZOB"
    html = client.get(f"/t/haldensleben/mobilitaet/linien/boerdebus/{line.route_id}/").content
    assert "Bus 17" in html.decode()


def _haldensleben():
    from hub.tenancy.models import Tenant

    return Tenant.objects.get(slug="haldensleben")


def test_alerts_of_a_feed_given_realtime_after_boards_cached_the_feed_list(client, partner):
    """Regression: the list of feeds with GTFS-RT, cached empty by an earlier board, hid the
    alerts of a feed that got its realtime URL afterwards, even after its first poll."""
    server, feed = partner
    cache.set(realtime.FEEDS_KEY, [], 60)
    message_ = rt.FeedMessage()
    message_.header.gtfs_realtime_version = "2.0"
    message_.header.timestamp = int(timezone.now().timestamp())
    alert = message_.entity.add(id="a1").alert
    alert.informed_entity.add(stop_id=f"{ZOB}::01")
    alert.header_text.translation.add(text="Steig 1 gesperrt", language="de")
    server.body = message_.SerializeToString()
    realtime.poll(feed, force=True)
    assert [a["header"] for a in board(client)["alerts"]] == ["Steig 1 gesperrt"]
