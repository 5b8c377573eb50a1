# SPDX-License-Identifier: EUPL-1.2
"""Tenant isolation over MQTT, against the stack's real Mosquitto: a tenant's user may use
`hub/<tenant>/#` only; anonymous clients are refused."""

from __future__ import annotations

import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.conf import settings
from django.core.management import call_command

from hub.core import mqtt as hub_mqtt

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
HOST, PORT = settings.HUB_MQTT


@pytest.fixture
def haldensleben_user(seeded, capsys):
    call_command("sensors", "mqtt-password", "haldensleben")
    password = capsys.readouterr().out.split("(shown once): ")[1].split()[0]
    time.sleep(0.3)  # Mosquitto reloads its users on SIGHUP
    yield password
    call_command("sensors", "mqtt-password", "haldensleben", "--remove")


def connected(user: str | None, password: str | None) -> tuple[mqtt.Client, int]:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-{uuid.uuid4().hex[:8]}")
    if user:
        client.username_pw_set(user, password)
    result: list[int] = []
    done = threading.Event()

    def on_connect(c, userdata, flags, reason, properties):
        result.append(reason.value)
        done.set()

    client.on_connect = on_connect
    client.connect(HOST, PORT)
    client.loop_start()
    done.wait(5)
    return client, (result or [-1])[0]


def test_anonymous_and_wrong_passwords_are_refused(haldensleben_user):
    anonymous, code = connected(None, None)
    anonymous.loop_stop()
    assert code != 0
    wrong, code = connected("haldensleben", "falsch")
    wrong.loop_stop()
    assert code != 0


def test_a_tenant_publishes_only_to_its_own_topics(haldensleben_user):
    seen: list[str] = []
    watcher = hub_mqtt.client(f"watch-{uuid.uuid4().hex[:8]}")
    watcher.on_message = lambda c, u, message: seen.append(message.topic)
    subscribed = threading.Event()
    watcher.on_subscribe = lambda *args: subscribed.set()
    hub_mqtt.connect(watcher)
    watcher.loop_start()
    marker = uuid.uuid4().hex[:8]
    try:
        watcher.subscribe(
            [(f"hub/haldensleben/devices/{marker}/up", 1), (f"hub/barleben/devices/{marker}/up", 1)]
        )
        assert subscribed.wait(5)
        device, code = connected("haldensleben", haldensleben_user)
        assert code == 0
        device.publish(f"hub/barleben/devices/{marker}/up", b"{}", qos=1).wait_for_publish(5)
        device.publish(f"hub/haldensleben/devices/{marker}/up", b"{}", qos=1).wait_for_publish(5)
        # A tenant cannot read another tenant's topics either.
        leaked: list[str] = []
        device.on_message = lambda c, u, message: leaked.append(message.topic)
        device.subscribe(f"hub/barleben/devices/{marker}/up", qos=1)
        time.sleep(0.3)
        watcher.publish(f"hub/barleben/devices/{marker}/up", b"{}", qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 3
        while f"hub/haldensleben/devices/{marker}/up" not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        device.loop_stop()
        device.disconnect()
    finally:
        watcher.loop_stop()
        watcher.disconnect()
    assert f"hub/haldensleben/devices/{marker}/up" in seen
    # Only the watcher's own publication reached Barleben's topic, never the tenant's.
    assert seen.count(f"hub/barleben/devices/{marker}/up") == 1
    assert leaked == []


def test_the_broker_refuses_a_packet_over_its_limit(haldensleben_user):
    """max_packet_size (1 MiB): the sender is disconnected, the message goes nowhere; a message
    under the limit still reaches subscribers (ingest dead-letters those over 256 KiB)."""
    seen: list[int] = []
    watcher = hub_mqtt.client(f"watch-{uuid.uuid4().hex[:8]}")
    watcher.on_message = lambda c, u, message: seen.append(len(message.payload))
    subscribed = threading.Event()
    watcher.on_subscribe = lambda *args: subscribed.set()
    hub_mqtt.connect(watcher)
    watcher.loop_start()
    topic = f"hub/haldensleben/devices/{uuid.uuid4().hex[:8]}/up"
    try:
        watcher.subscribe(topic, qos=1)
        assert subscribed.wait(5)
        device, code = connected("haldensleben", haldensleben_user)
        assert code == 0
        dropped = threading.Event()
        device.on_disconnect = lambda *args: dropped.set()
        device.publish(topic, b"x" * (2 * 1024 * 1024), qos=1)
        assert dropped.wait(5)
        device.loop_stop()
        device, code = connected("haldensleben", haldensleben_user)
        device.publish(topic, b"y" * (512 * 1024), qos=1).wait_for_publish(5)
        device.loop_stop()
        device.disconnect()
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == [512 * 1024]
    finally:
        watcher.loop_stop()
        watcher.disconnect()
