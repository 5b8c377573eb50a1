# SPDX-License-Identifier: EUPL-1.2
"""`hub ingest` against the real Mosquitto and PostgreSQL: QoS 1 in, batches out, bad messages
to the dead letters without stopping the consumer."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from hub.core import mqtt as hub_mqtt
from hub.sensors.consumer import Consumer
from hub.tenancy.context import system_context
from tests.sensors.conftest import sample

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
HOST, PORT = settings.HUB_MQTT


def publish(messages: list[tuple[str, bytes]]) -> None:
    client = hub_mqtt.client(f"test-{uuid.uuid4().hex[:8]}")
    client.connect(HOST, PORT)
    client.loop_start()
    try:
        for topic, payload in messages:
            client.publish(topic, payload, qos=1).wait_for_publish(10)
    finally:
        client.loop_stop()
        client.disconnect()


def consume(done, client_id: str, timeout: float = 30.0) -> Consumer:
    """Run a consumer until `done()` (or the timeout). Other publishers on the broker (the
    stack's demo, a benchmark) may add messages: the test looks only at its own."""
    consumer = Consumer(HOST, PORT, client_id=client_id, batch_size=500, flush_seconds=0.1)
    worker = threading.Thread(target=consumer.run, kwargs={"until": time.monotonic() + timeout})
    worker.start()
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)
    consumer.stopping.set()
    worker.join(10)
    return consumer


def count(sql: str, params=()) -> int:
    with system_context(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_mqtt_messages_become_observations_and_bad_ones_dead_letters(stations, forget_sessions):
    client_id = f"ingest-test-{uuid.uuid4().hex[:8]}"
    forget_sessions.append(client_id)
    # Subscribe once first: the persistent session then keeps what is published meanwhile.
    consume(lambda: False, client_id, timeout=1.0)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    good = [
        (
            "hub/haldensleben/devices/markt-1/up",
            json.dumps(
                {"time": (start + dt.timedelta(minutes=i)).isoformat(), "temperature": i / 10}
            ).encode(),
        )
        for i in range(300)
    ]
    co2 = stations["haldensleben"].streams["co2"]
    bad = [
        ("hub/haldensleben/devices/markt-1/up", b"{not json"),
        ("hub/haldensleben/devices/unbekannt/up", b'{"time": "2026-01-01T00:00:00Z", "co2": 1}'),
        ("hub/barleben/devices/markt-1/up", b'{"time": "2026-01-01T00:00:00Z", "co2": 1}'),
        ("hub/haldensleben/devices/markt-1/up", b'{"time": "2026-01-01T00:00:00Z", "co2": "x"}'),
        ("hub/haldensleben/devices/markt-1/up", b'{"co2": 400}'),
        ("hub/haldensleben/devices/markt-1/up", b"[" + b"1," * 200_000 + b"1]"),
    ]
    sta = [
        (
            f"v1.1/Datastreams({co2.pk})/Observations",
            b'{"phenomenonTime": "2026-01-02T00:00:00Z", "result": 421}',
        )
    ]
    tts = [
        (
            "v3/app@ttn/devices/am103/up",
            json.dumps(sample("tts_v3_uplink_thingsboard_milesight_am103.json")).encode(),
        )
    ]
    publish(good + bad + sta + tts)
    temperature = stations["haldensleben"].streams["temperature"]
    topics = sorted({topic for topic, _ in bad})

    def stored() -> int:
        return count(
            "SELECT count(*) FROM sensors_observation WHERE datastream_id = %s", [temperature.pk]
        )

    def dead() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reason FROM sensors_deadletter WHERE topic = ANY(%s) ORDER BY id", [topics]
            )
            return [row[0] for row in cursor.fetchall()]

    consume(lambda: stored() == 301 and len(dead()) == len(bad), client_id)
    assert stored() == 300 + 1  # and the AM103's
    assert count("SELECT count(*) FROM sensors_observation WHERE datastream_id = %s", [co2.pk]) == 2
    reasons = dead()
    assert len(reasons) == len(bad)
    for expected in (
        "not JSON",
        "unknown device",
        "expected a number",
        "a time (RFC 3339) is missing",
        "bytes",
    ):
        assert any(expected in reason for reason in reasons), (expected, reasons)
    # Everything was acknowledged: a new consumer on the same session gets none of it again.
    again = consume(lambda: False, client_id, timeout=2.0)
    assert stored() == 301
    assert len(dead()) == len(bad)
    assert again.stats.retries == 0


@pytest.fixture
def forget_sessions():
    """The test's persistent sessions would keep every later message at the broker."""
    made: list[str] = []
    yield made
    for client_id in made:
        gone = hub_mqtt.client(client_id, clean_session=True)
        hub_mqtt.connect(gone)
        gone.loop_start()
        time.sleep(0.2)
        gone.loop_stop()
        gone.disconnect()
