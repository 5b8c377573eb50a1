# SPDX-License-Identifier: EUPL-1.2
"""connectors.mqtt, the ingest consumer's subscriber, against the stack's real Mosquitto:
credentials, QoS 1 delivery, acknowledgements that count only on their own connection, a lost
connection replaced, keep-alive; and its parser against a broken stream."""

from __future__ import annotations

import socket
import time
import uuid

import pytest
from django.conf import settings

from connectors.mqtt import MqttError, Session, _packet
from hub.core import mqtt as hub_mqtt

pytestmark = pytest.mark.integration
HOST, PORT = settings.HUB_MQTT
USER, PASSWORD = settings.HUB_MQTT_AUTH


@pytest.fixture
def topic():
    """A topic of this test only (not one the stack's consumer reads)."""
    return f"test/{uuid.uuid4().hex[:12]}/up"


@pytest.fixture
def subscribers():
    made: list[Session] = []

    def make(topic: str, **options) -> Session:
        options = {"username": USER, "password": PASSWORD, **options}
        sub = Session(
            HOST, PORT, client_id=f"t-sub-{uuid.uuid4().hex[:8]}", topics=[topic], **options
        )
        made.append(sub)
        return sub

    yield make
    for sub in made:  # end the persistent sessions: they would keep messages at the broker
        sub.close()
        gone = Session(
            HOST,
            PORT,
            client_id=sub.client_id,
            topics=sub.topics,
            username=USER,
            password=PASSWORD,
            clean_session=True,
        )
        gone.connect()
        gone.close()


def publish(topic: str, payloads: list[bytes], qos: int = 1) -> None:
    client = hub_mqtt.client(f"t-pub-{uuid.uuid4().hex[:8]}")
    hub_mqtt.connect(client)
    client.loop_start()
    try:
        for payload in payloads:
            client.publish(topic, payload, qos=qos).wait_for_publish(10)
    finally:
        client.loop_stop()
        client.disconnect()


def drain(sub: Session, count: int, timeout: float = 10.0) -> list:
    got, deadline = [], time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        got += sub.receive(0.2)
    return got


def test_wrong_password_is_refused_with_a_clear_reason(topic, subscribers):
    sub = subscribers(topic, password="falsch")
    # Mosquitto answers a wrong password with "not authorised" (5), not 4.
    with pytest.raises(MqttError, match="refused the user: not authorised"):
        sub.connect()
    assert not sub.connected


def test_messages_arrive_in_order_and_an_acknowledged_one_never_again(topic, subscribers):
    sub = subscribers(topic)
    assert sub.connect() is False  # a new session
    payloads = [f'{{"n": {n}}}'.encode() for n in range(500)] + [b"x" * 300_000]
    publish(topic, payloads)
    got = drain(sub, len(payloads))
    assert [m.payload for m in got] == payloads  # a 300 kB one too (three-byte length)
    assert {m.topic for m in got} == {topic}
    assert {m.qos for m in got} == {1}
    assert sub.ack(got) == len(payloads)
    sub.close()
    assert sub.connect() is True  # the broker kept the session
    assert drain(sub, 1, timeout=1.5) == []


def test_unacknowledged_messages_come_again_and_old_acks_are_dropped(topic, subscribers):
    sub = subscribers(topic)
    sub.connect()
    publish(topic, [b"a", b"b", b"c"])
    first = drain(sub, 3)
    assert [m.payload for m in first] == [b"a", b"b", b"c"]
    sub.ack(first[:1])  # "a" only
    sub._sock.shutdown(socket.SHUT_RDWR)  # the connection breaks (a broker restart)
    again = drain(sub, 2)
    assert sub.connection == 2
    assert sub.reconnects == 1
    assert [m.payload for m in again] == [b"b", b"c"]
    # The acknowledgements of the first connection's messages are not sent on the second:
    # its packet identifiers name other messages there.
    assert sub.ack(first) == 0
    assert sub.ack(again) == 2
    sub.close()
    sub.connect()
    assert drain(sub, 1, timeout=1.5) == []


def test_keepalive_keeps_a_quiet_connection(topic, subscribers):
    sub = subscribers(topic, keepalive=2)  # the broker drops it after 3 s without a word
    sub.connect()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        assert sub.receive(0.3) == []
        sub.keepalive()
    assert sub.connection == 1
    assert sub.reconnects == 0
    publish(topic, [b"still there"])
    assert [m.payload for m in drain(sub, 1)] == [b"still there"]


def test_qos_0_messages_need_no_acknowledgement(topic, subscribers):
    sub = subscribers(topic)
    sub.connect()
    publish(topic, [b"q0"], qos=0)
    got = drain(sub, 1)
    assert [(m.payload, m.qos, m.packet_id) for m in got] == [(b"q0", 0, 0)]
    assert sub.ack(got) == 0


def test_a_broken_stream_drops_the_connection_not_the_process(topic, subscribers):
    sub = subscribers(topic)
    sub.connect()
    # A remaining length of five bytes does not exist in MQTT.
    sub._buffer += b"\x30\xff\xff\xff\xff\x7f"
    with pytest.raises(MqttError, match="malformed remaining length"):
        sub._next(0)
    sub._buffer.clear()
    # PUBLISHes too short for their topic's length, or without their packet identifier.
    for first, body in (
        (0x32, b"\x00"),
        (0x30, b"\x00"),
        (0x32, b"\x00\x05abc"),
        (0x32, b"\x00\x01t\x00"),
    ):
        sub._buffer += _packet(first, body)
        assert sub.receive(0.1) == []
        assert not sub.connected
        assert sub.ack([]) == 0
        assert sub.receive(0.5) == []  # connects again
        assert sub.connected
    # A packet a subscriber never gets (CONNECT) ends the connection; the next receive()
    # connects again and goes on.
    sub._buffer += _packet(0x10, b"\x00")
    assert sub.receive(0.1) == []
    assert not sub.connected
    publish(topic, [b"after"])
    assert [m.payload for m in drain(sub, 1)] == [b"after"]
    assert sub.connection == 6


def test_publish_sends_in_bulk_and_counts_the_brokers_acknowledgements(topic, subscribers):
    sub = subscribers(topic)
    sub.connect()
    sender = Session(
        HOST,
        PORT,
        client_id=f"t-pub-{uuid.uuid4().hex[:8]}",
        topics=(),
        username=USER,
        password=PASSWORD,
        clean_session=True,
    )
    sender.connect()
    try:
        assert sender.publish((topic, f"{n}".encode()) for n in range(1000)) == 1000
        deadline = time.monotonic() + 10
        while sender.acknowledged < 1000 and time.monotonic() < deadline:
            assert sender.receive(0.1) == []  # subscribed to nothing
        assert sender.acknowledged == 1000
        with pytest.raises(ValueError, match="QoS 0 or 1"):
            sender.publish([(topic, b"x")], qos=2)
    finally:
        sender.close()
    got = drain(sub, 1000)
    assert [m.payload for m in got] == [f"{n}".encode() for n in range(1000)]
