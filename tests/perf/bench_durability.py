# SPDX-License-Identifier: EUPL-1.2
"""Durability of sensor ingest (make bench): PostgreSQL is restarted in the middle of an
ingest of 100,000 QoS 1 messages through the stack's real `hub ingest`; every observation must
be stored exactly once. Prints what arrived, what was lost or doubled, and how long the
consumer needed to catch up. Everything it creates is removed at the end.

Issue 6: "Restart PostgreSQL in the middle of an ingest of 100,000 QoS-1 messages: every
observation is stored exactly once."
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

from django.db import DatabaseError, connection  # noqa: E402
from tqdm import tqdm  # noqa: E402

from hub.core import mqtt as hub_mqtt  # noqa: E402
from hub.sensors.models import (  # noqa: E402
    Datastream,
    Device,
    Network,
    ObservedProperty,
    Sensor,
    Thing,
)
from hub.tenancy.context import system_context  # noqa: E402
from hub.tenancy.models import Tenant  # noqa: E402

MESSAGES = 100_000
RESTART_AT = 30_000  # messages published before PostgreSQL is restarted
NAME = "[Dauertest] Ingest"
KEY = f"dauertest-{uuid.uuid4().hex[:8]}"  # new each run: no cache has seen it
START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def cleanup() -> None:
    with system_context():
        for thing in Thing.objects.filter(name=NAME):
            ids = list(thing.datastreams.values_list("pk", flat=True))
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM sensors_observation WHERE datastream_id = ANY(%s)", [ids]
                )
                cursor.execute("DELETE FROM sensors_latest WHERE datastream_id = ANY(%s)", [ids])
            Device.objects.filter(thing=thing).delete()
            # What the consumer could not map after a run was cut short.
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM sensors_deadletter WHERE topic LIKE %s",
                    ["hub/haldensleben/devices/dauertest-%"],
                )
            thing.datastreams.all().delete()
            thing.delete()
        Sensor.objects.filter(name=NAME).delete()
        ObservedProperty.objects.filter(name=NAME).delete()


def setup() -> int:
    with system_context():
        tenant = Tenant.objects.get(slug="haldensleben")
        thing = Thing.objects.create(tenant=tenant, name=NAME, public=False)
        stream = Datastream.objects.create(
            tenant=tenant,
            thing=thing,
            sensor=Sensor.objects.create(tenant=tenant, name=NAME),
            observed_property=ObservedProperty.objects.create(
                tenant=tenant, name=NAME, definition="https://example.org/dauertest"
            ),
            name=NAME,
            unit_of_measurement={"name": "count", "symbol": "1"},
        )
        Device.objects.create(
            tenant=tenant, network=Network.MQTT, key=KEY, thing=thing, mapping={"v": stream.pk}
        )
    return stream.pk


def stored(stream: int) -> tuple[int, int]:
    """(rows, distinct values) of the test datastream; waits out a database that is away."""
    while True:
        try:
            with system_context(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*), count(DISTINCT result) FROM sensors_observation"
                    " WHERE datastream_id = %s",
                    [stream],
                )
                return cursor.fetchone()
        except DatabaseError:
            connection.close()
            time.sleep(0.5)


def publish(progress, restart_at: threading.Event) -> float:
    client = hub_mqtt.client(f"dauertest-{uuid.uuid4().hex[:8]}")
    client.max_inflight_messages_set(1000)
    hub_mqtt.connect(client)
    client.loop_start()
    started = time.perf_counter()
    sent = []
    for i in range(MESSAGES):
        body = {"time": (START + dt.timedelta(milliseconds=i)).isoformat(), "v": i, "id": f"d{i}"}
        sent.append(client.publish(f"hub/haldensleben/devices/{KEY}/up", json.dumps(body), qos=1))
        if i == RESTART_AT:
            restart_at.set()
        if i % 1000 == 999:
            sent[-1].wait_for_publish(60)
            progress.update(1000)
    for message in sent:
        message.wait_for_publish(60)
    elapsed = time.perf_counter() - started
    client.loop_stop()
    client.disconnect()
    return elapsed


def main() -> None:
    print("\nRegional Data Hub — sensor ingest durability (PostgreSQL restarted mid-ingest)")
    started = time.perf_counter()
    cleanup()
    stream = setup()
    time.sleep(1)
    restart_at = threading.Event()
    result: dict[str, float] = {}
    try:
        with tqdm(total=MESSAGES, desc="publishing", unit=" msg", disable=None) as progress:
            publisher = threading.Thread(
                target=lambda: result.update(seconds=publish(progress, restart_at))
            )
            publisher.start()
            restart_at.wait(300)
            before, _ = stored(stream)
            down = time.perf_counter()
            subprocess.run(
                ["bash", str(ROOT / "deploy/local/stack.sh"), "restart", "postgresql"],
                check=True,
                capture_output=True,
            )
            restart_seconds = time.perf_counter() - down
            connection.close()
            publisher.join()
        deadline = time.monotonic() + 180
        rows, distinct = stored(stream)
        while rows < MESSAGES and time.monotonic() < deadline:
            time.sleep(1)
            rows, distinct = stored(stream)
        drained = time.perf_counter() - started
        print(
            f"published {MESSAGES} QoS 1 messages in {result.get('seconds', 0):.1f} s; "
            f"PostgreSQL restarted after message {RESTART_AT} ({before} stored by then), "
            f"the restart took {restart_seconds:.1f} s"
        )
        print(
            f"stored: {rows} observations of {MESSAGES}, distinct {distinct}, "
            f"lost {MESSAGES - distinct}, doubled {rows - distinct}   target: exactly once   "
            f"{'OK' if rows == distinct == MESSAGES else 'NOT MET'}"
        )
        print(f"all stored {drained:.0f} s after the start")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
