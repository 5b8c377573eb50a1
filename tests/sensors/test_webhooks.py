# SPDX-License-Identifier: EUPL-1.2
"""LoRaWAN uplinks through the tenants' webhooks, from the samples in ../shared/data/lorawan."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hub.tenancy.context import system_context, tenant_context
from tests.sensors.conftest import LORAWAN, sample

pytestmark = pytest.mark.django_db
TTS = "/api/v1/t/haldensleben/sensoren/webhooks/tts"
CHIRPSTACK = "/api/v1/t/haldensleben/sensoren/webhooks/chirpstack?event=up"


HALDENSLEBEN_SECRET = "geheim-haldensleben"


def post(client, url, body, secret=HALDENSLEBEN_SECRET, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        url, data, content_type="application/json", HTTP_X_HUB_WEBHOOK_SECRET=secret, **extra
    )


def observations(stream) -> list[tuple[dt.datetime, float]]:
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT phenomenon_time, result FROM sensors_observation WHERE datastream_id = %s"
            " ORDER BY phenomenon_time",
            [stream.pk],
        )
        return cursor.fetchall()


def dead_letters() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT channel, reason FROM sensors_deadletter ORDER BY id")
        return cursor.fetchall()


def test_the_things_stack_sample_gives_its_decoded_values(client, stations):
    answer = post(client, TTS, sample("tts_v3_uplink_data_formats.json"))
    assert answer.status_code == 202, answer.content
    streams = stations["haldensleben"].streams
    # uplink_message.received_at: when the network server got it (nanoseconds cut).
    when = dt.datetime(2020, 2, 12, 15, 15, 45, 789585, tzinfo=dt.UTC)
    assert observations(streams["temperature"]) == [(when, 1.0)]
    assert observations(streams["luminosity"]) == [(when, 0.64)]
    assert observations(streams["co2"]) == []


@pytest.mark.parametrize(
    ("url", "name", "when"),
    [
        (
            TTS,
            "tts_v3_uplink_thingsboard_milesight_am103.json",
            dt.datetime(2023, 5, 19, 5, 33, 35, 641841, tzinfo=dt.UTC),
        ),
        (
            CHIRPSTACK,
            "chirpstack_v4_up_thingsboard_milesight_am103.json",
            dt.datetime(2023, 5, 22, 7, 47, 5, 404859, tzinfo=dt.UTC),
        ),
    ],
)
def test_an_undecoded_milesight_frame_is_decoded_by_us(client, stations, url, name, when):
    """The same AM103 frame through both networks: battery 100 %, 28.0 °C, 54.5 %, 453 ppm."""
    assert post(client, url, sample(name)).status_code == 202
    streams = stations["haldensleben"].streams
    expected = {"battery": 100.0, "temperature": 28.0, "humidity": 54.5, "co2": 453.0}
    assert {key: observations(streams[key]) for key in expected} == {
        key: [(when, value)] for key, value in expected.items()
    }
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT result FROM sensors_latest WHERE datastream_id = %s",
            [streams["co2"].pk],
        )
        assert cursor.fetchone() == (453.0,)


def test_a_message_delivered_twice_is_stored_once(client, stations):
    body = sample("chirpstack_v4_up_thingsboard_milesight_am103.json")
    assert post(client, CHIRPSTACK, body).json()["new"] == 4
    assert post(client, CHIRPSTACK, body).json()["new"] == 0
    assert len(observations(stations["haldensleben"].streams["co2"])) == 1


def test_chirpstack_events_that_are_no_uplinks_are_ignored(client, stations):
    for name, event in (
        ("chirpstack_v4_join_docs_events.json", "join"),
        ("chirpstack_v4_status_docs_events.json", "status"),
    ):
        answer = post(client, CHIRPSTACK.replace("up", event), sample(name))
        assert answer.status_code == 204
    assert dead_letters() == []


@pytest.mark.parametrize(
    ("url", "body", "status", "reason"),
    [
        (TTS, (LORAWAN / "tts_v3_uplink_data_formats_verbatim.txt").read_bytes(), 400, "not JSON"),
        # The docs' ChirpStack sample has a frame nobody decodes.
        (CHIRPSTACK, "chirpstack_v4_up_docs_events.json", 422, "unknown device"),
        (TTS, {"end_device_ids": {"device_id": "x"}}, 422, "uplink_message"),
        (
            TTS,
            {
                "end_device_ids": {"device_id": "dev1", "dev_eui": "0004A30B001C0530"},
                "uplink_message": {"decoded_payload": {"temperature": 1}},
            },
            422,
            "time",
        ),
        (
            TTS,
            {
                "end_device_ids": {"device_id": "dev1", "dev_eui": "0004A30B001C0530"},
                "received_at": "2024-01-01T00:00:00Z",
                "uplink_message": {"decoded_payload": {"temperature": "warm"}},
            },
            422,
            "expected a number",
        ),
        (
            TTS,
            {
                "end_device_ids": {"device_id": "dev1", "dev_eui": "0004A30B001C0530"},
                "received_at": "2999-01-01T00:00:00Z",
                "uplink_message": {"decoded_payload": {"temperature": 1}},
            },
            422,
            "future",
        ),
        (
            TTS,
            {
                "end_device_ids": {"device_id": "dev1", "dev_eui": "0004A30B001C0530"},
                "received_at": "2024-01-01T00:00:00Z",
                "uplink_message": {"decoded_payload": {"noise": 1}},
            },
            422,
            "none of the values (noise) is mapped",
        ),
        (TTS, b"\x00" * 300_000, 413, "bytes"),
    ],
)
def test_bad_payloads_are_refused_and_kept_with_the_reason(
    client, stations, url, body, status, reason
):
    if isinstance(body, str) and body.endswith(".json"):
        body = sample(body)
    answer = post(client, url, body)
    assert answer.status_code == status
    assert reason in answer.json()["detail"]
    [(channel, kept)] = dead_letters()
    assert channel.startswith("webhook:")
    assert reason in kept
    with system_context(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sensors_observation")
        assert cursor.fetchone() == (0,)


def test_a_tenant_cannot_write_with_another_tenants_secret_or_device(client, stations):
    body = sample("chirpstack_v4_up_thingsboard_milesight_am103.json")
    assert post(client, CHIRPSTACK, body, secret="geheim-barleben").status_code == 401
    assert post(client, CHIRPSTACK, body, secret="").status_code == 401
    # Barleben's own device, sent to Haldensleben's webhook with Haldensleben's secret.
    theirs = sample("chirpstack_v4_up_docs_events.json")
    theirs["object"] = {"temperature": 12.5}
    answer = post(client, CHIRPSTACK, theirs)
    assert answer.status_code == 422
    assert "unknown device" in answer.json()["detail"]
    # With its own secret on its own URL it is stored, and only Barleben sees it.
    url = "/api/v1/t/barleben/sensoren/webhooks/chirpstack?event=up"
    assert post(client, url, theirs, secret="geheim-barleben").status_code == 202
    barleben, haldensleben = stations["barleben"], stations["haldensleben"]
    with tenant_context([haldensleben.tenant.pk]), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sensors_observation")
        assert cursor.fetchone() == (0,)
    with tenant_context([barleben.tenant.pk]), connection.cursor() as cursor:
        cursor.execute("SELECT datastream_id, result FROM sensors_observation")
        assert cursor.fetchall() == [(barleben.streams["temperature"].pk, 12.5)]


def test_a_new_secret_replaces_the_old_one_at_once(client, stations, capsys):
    call_command("sensors", "webhook-secret", "haldensleben")
    out = capsys.readouterr().out
    secret = out.split("(shown once; the old one no longer works): ")[1].split()[0]
    assert len(secret) >= 40
    assert "/api/v1/t/haldensleben/sensoren/webhooks/chirpstack?event=up" in out
    body = sample("chirpstack_v4_up_thingsboard_milesight_am103.json")
    assert post(client, CHIRPSTACK, body).status_code == 401  # the fixture's old secret
    assert post(client, CHIRPSTACK, body, secret=secret).status_code == 202
    # Only its hash is kept.
    with system_context(), connection.cursor() as cursor:
        cursor.execute("SELECT webhook_secret_sha256 FROM sensors_sensornetwork")
        assert secret not in {row[0] for row in cursor.fetchall()}
    with pytest.raises(CommandError, match="no active tenant 'nirgendwo'"):
        call_command("sensors", "webhook-secret", "nirgendwo")
