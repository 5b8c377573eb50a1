# SPDX-License-Identifier: EUPL-1.2
"""An MQTT 3.1.1 session spoken by the hub itself, for the ingest consumer's hot path.

Why not paho (which the hub's other MQTT clients use): the consumer acknowledges each message
only after the batch holding it is committed, thousands per batch. paho reads a packet with
several system calls and, for each manual acknowledgement, queues a packet and wakes its network
thread; measured, that was 60 % of the consumer's CPU and capped ingest at about 8,000 messages/s
(docs/adr/0008). Here a read takes whatever the socket holds (hundreds of packets), parses them
in one pass, and the acknowledgements of a whole batch leave in one write.

It does exactly what the consumer needs, from the standard (MQTT 3.1.1, OASIS 2014):
CONNECT with credentials and a persistent session, SUBSCRIBE, PUBLISH at QoS 0 and 1 in,
PUBACK out, PINGREQ/PINGRESP, DISCONNECT, and a new connection after a lost one. A message
carries the number of the connection it came on: its acknowledgement is sent only on that
connection (packet identifiers are per connection), otherwise dropped, and the broker delivers
the message again (to be written again, a no-op for an idempotent writer).

`publish()` sends many messages in one write and counts the broker's PUBACKs, without keeping
them for a new connection: enough for a load generator (the sensor benchmark's devices), which
counts what arrives. The hub's other publishers use paho.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

CONNECT, CONNACK, PUBLISH, PUBACK = 0x10, 0x20, 0x30, 0x40
SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT = 0x82, 0x90, 0xC0, 0xD0, 0xE0
REFUSED = {
    1: "the broker does not speak MQTT 3.1.1",
    2: "the broker rejected the client id",
    3: "the broker is unavailable",
    4: "the broker refused the user name or password",
    5: "the broker refused the user: not authorised (wrong password, or no right to connect)",
}
READ_SIZE = 256 * 1024


class MqttError(Exception):
    """The broker refused us, broke the protocol, or the connection is gone."""


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes
    qos: int
    packet_id: int  # 0 at QoS 0
    connection: int  # which connection of the subscriber it arrived on


def _string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("!H", len(raw)) + raw


def _packet(first: int, body: bytes) -> bytes:
    """A control packet: type byte, remaining length (one to four bytes of 7 bits), body."""
    length, encoded = len(body), bytearray()
    while True:
        length, digit = divmod(length, 128)
        encoded.append(digit | (0x80 if length else 0))
        if not length:
            return bytes([first]) + bytes(encoded) + body


class Session:
    """One client id's session, kept across lost connections (subscribed to `topics`, if any).

    `receive()` returns the messages that arrived (at most `limit`), `ack()` acknowledges those
    of them that came on the current connection, `keepalive()` pings when the connection has
    been quiet; a lost connection is replaced on the next `receive()` (with growing pauses while
    the broker is away). Not thread-safe: one thread reads and acknowledges.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_id: str,
        topics: Iterable[str],
        username: str = "",
        password: str = "",
        clean_session: bool = False,
        keepalive: int = 30,
        connect_timeout: float = 10.0,
    ):
        if not client_id and not clean_session:
            raise ValueError("a persistent session needs a client id")
        self.host, self.port, self.client_id = host, port, client_id
        self.topics = list(topics)
        self.username, self.password = username, password
        self.clean_session, self.keepalive_seconds = clean_session, keepalive
        self.connect_timeout = connect_timeout
        self.connection = 0  # number of the current connection; 0 before the first
        self.reconnects = 0
        self.acknowledged = 0  # PUBACKs of the broker for what publish() sent
        self._packet_id = 0
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        self._sent = self._ping_sent = self._retry_at = 0.0
        self._pause = 0.5

    # -- connecting ---------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._sock is not None

    def connect(self) -> bool:
        """Connect (and subscribe); True if the broker still had our session."""
        sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            flags = (0x02 if self.clean_session else 0) | (0x80 if self.username else 0)
            payload = _string(self.client_id)
            if self.username:
                payload += _string(self.username)
                if self.password:
                    flags |= 0x40
                    payload += _string(self.password)
            variable = _string("MQTT") + struct.pack("!BBH", 4, flags, self.keepalive_seconds)
            sock.sendall(_packet(CONNECT, variable + payload))
            self._sock, self._buffer = sock, bytearray()
            _first, body = self._expect(CONNACK)
            if len(body) != 2:
                raise MqttError("malformed CONNACK")
            if body[1]:
                raise MqttError(REFUSED.get(body[1], f"the broker refused (code {body[1]})"))
            present = bool(body[0] & 1)
            if self.topics:
                self._subscribe(sock)
        except BaseException:
            self._drop()
            sock.close()
            raise
        sock.settimeout(None)
        sock.setblocking(False)
        self.connection += 1
        self._sent, self._ping_sent, self._pause = time.monotonic(), 0.0, 0.5
        return present

    def _subscribe(self, sock: socket.socket) -> None:
        filters = b"".join(_string(topic) + b"\x01" for topic in self.topics)
        sock.sendall(_packet(SUBSCRIBE, struct.pack("!H", 1) + filters))
        _first, body = self._expect(SUBACK)
        refused = [t for t, code in zip(self.topics, body[2:], strict=False) if code == 0x80]
        if refused:
            raise MqttError(f"the broker refused the subscription to {', '.join(refused)}")

    def _expect(self, kind: int) -> tuple[int, bytes]:
        """The next control packet during the handshake, which must be of `kind`. PUBLISHes
        a persistent session sends before the SUBACK are left in the buffer for receive()."""
        deadline = time.monotonic() + self.connect_timeout
        scanned = 0  # the buffer only grows at its end until the packet is found
        while True:
            while (found := self._next(scanned)) is not None:
                first, start, end = found
                if first & 0xF0 == kind & 0xF0:
                    body = bytes(self._buffer[start:end])
                    del self._buffer[scanned:end]
                    return first, body
                if first & 0xF0 != PUBLISH:
                    raise MqttError(f"unexpected packet type {first >> 4} while connecting")
                scanned = end
            if time.monotonic() > deadline:
                raise MqttError(f"no answer from the broker within {self.connect_timeout:.0f} s")
            self._sock.settimeout(max(0.01, deadline - time.monotonic()))
            data = self._sock.recv(READ_SIZE)
            if not data:
                raise MqttError("the broker closed the connection")
            self._buffer += data

    def _drop(self) -> None:
        self._sock, self._buffer = None, bytearray()

    def _lost(self, why: object) -> None:
        log.warning(
            "mqtt: connection %d to %s:%s lost: %s", self.connection, self.host, self.port, why
        )
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        self._drop()

    def _reconnect(self, timeout: float) -> bool:
        """Connect if the pause after the last failed attempt is over (it grows to 10 s while
        the broker is away); waits at most `timeout` for that."""
        wait = self._retry_at - time.monotonic()
        if wait > 0:
            time.sleep(min(wait, timeout))
            return False
        try:
            self.connect()
        except (OSError, MqttError) as exc:
            log.warning(
                "mqtt: cannot connect to %s:%s (%s); next try in %.1f s",
                self.host,
                self.port,
                exc,
                self._pause,
            )
            self._retry_at = time.monotonic() + self._pause
            self._pause = min(self._pause * 2, 10.0)
            return False
        self.reconnects += self.connection > 1
        log.info(
            "mqtt: connected to %s:%s as %s (connection %d)",
            self.host,
            self.port,
            self.client_id,
            self.connection,
        )
        return True

    # -- reading -------------------------------------------------------------------------------

    def _next(self, at: int) -> tuple[int, int, int] | None:
        """(first byte, start of the body, end) of the complete packet at `at`, else None."""
        buffer, size = self._buffer, len(self._buffer)
        if size - at < 2:
            return None
        length, shift, i = 0, 0, at + 1
        while True:
            if i >= size:
                return None
            digit = buffer[i]
            length |= (digit & 0x7F) << shift
            i += 1
            if digit < 0x80:
                break
            shift += 7
            if shift > 21:
                raise MqttError("malformed remaining length")
        end = i + length
        return (buffer[at], i, end) if end <= size else None

    def receive(self, timeout: float, limit: int = 10_000) -> list[Message]:
        """The messages that have arrived, waiting up to `timeout` seconds for the first."""
        if self._sock is None and not self._reconnect(timeout):
            return []
        try:
            messages = self._parse(limit)
            if messages or self._sock is None:
                return messages
            ready, _, _ = select.select([self._sock], [], [], timeout)
            if ready:
                try:
                    data = self._sock.recv(READ_SIZE)
                except BlockingIOError:  # woken for nothing
                    data = None
                if data == b"":
                    raise MqttError("the broker closed the connection")
                if data:
                    self._buffer += data
                    self._ping_sent = 0.0
            elif self._ping_sent and time.monotonic() - self._ping_sent > self.keepalive_seconds:
                raise MqttError(f"no answer to a ping within {self.keepalive_seconds} s")
            self.keepalive()
            return self._parse(limit)
        except (OSError, MqttError) as exc:
            self._lost(exc)
            return []

    def _parse(self, limit: int) -> list[Message]:
        buffer, messages, at, connection = self._buffer, [], 0, self.connection
        while len(messages) < limit and (found := self._next(at)) is not None:
            first, start, end = found
            kind = first & 0xF0
            if kind == PUBLISH:
                qos = (first >> 1) & 3
                if qos > 1:
                    self._lost("a QoS 2 message on a QoS 1 subscription")
                    return messages
                # The topic's end; past the packet if not even its length is there.
                cut = (
                    start + 2 + (buffer[start] << 8 | buffer[start + 1])
                    if end - start > 1
                    else end + 1
                )
                if cut + 2 * qos > end:
                    self._lost("a PUBLISH shorter than its topic and packet identifier")
                    return messages
                packet_id = 0
                if qos:
                    packet_id = buffer[cut] << 8 | buffer[cut + 1]
                    payload = bytes(buffer[cut + 2 : end])
                else:
                    payload = bytes(buffer[cut:end])
                topic = buffer[start + 2 : cut].decode("utf-8", "replace")
                messages.append(Message(topic, payload, qos, packet_id, connection))
            elif kind == PUBACK:
                self.acknowledged += 1
            elif kind not in (PINGRESP, SUBACK):
                self._lost(f"unexpected packet type {first >> 4}")
                return messages
            at = end
        if at:
            del buffer[:at]
        return messages

    # -- writing -------------------------------------------------------------------------------

    def _send(self, data: bytes) -> None:
        if self._sock is None:
            return
        try:
            view, sent = memoryview(data), 0
            deadline = time.monotonic() + self.keepalive_seconds
            while sent < len(data):
                try:
                    sent += self._sock.send(view[sent:])
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise MqttError("the broker takes nothing more") from None
                    select.select([], [self._sock], [], 1)
            self._sent = time.monotonic()
        except (OSError, MqttError) as exc:
            self._lost(exc)

    def ack(self, messages: Iterable[Message]) -> int:
        """Acknowledge the QoS 1 messages of the current connection in one write; returns how
        many. Those of an earlier connection come again from the broker."""
        if self._sock is None:
            return 0
        current = self.connection
        ids = [m.packet_id for m in messages if m.qos and m.connection == current]
        if ids:
            self._send(b"".join(b"\x40\x02" + i.to_bytes(2, "big") for i in ids))
        return len(ids)

    def publish(self, messages: Iterable[tuple[str, bytes]], qos: int = 1) -> int:
        """Send (topic, payload) messages in one write; returns how many. The broker's PUBACKs
        of QoS 1 ones are counted in `acknowledged` by receive(). Nothing is sent again after a
        lost connection. Keep fewer than 65,535 unacknowledged (the packet identifiers)."""
        if qos not in (0, 1):
            raise ValueError("QoS 0 or 1")
        out, count = bytearray(), 0
        for topic, payload in messages:
            body = _string(topic)
            if qos:
                self._packet_id = self._packet_id % 0xFFFF + 1
                body += self._packet_id.to_bytes(2, "big")
            out += _packet(PUBLISH | qos << 1, body + payload)
            count += 1
        self._send(bytes(out))
        return count

    def keepalive(self) -> None:
        """A ping if nothing was sent for half the keep-alive: the broker drops a client it has
        not heard from for 1.5 times it. Call it also while busy elsewhere (writing a batch)."""
        now = time.monotonic()
        if self._sock is not None and now - self._sent > self.keepalive_seconds / 2:
            self._send(bytes([PINGREQ, 0]))
            if not self._ping_sent:
                self._ping_sent = now

    def close(self, linger: float = 2.0) -> None:
        """Disconnect cleanly: the broker keeps the session and what is not acknowledged.

        The socket is shut for writing and read until the broker closes it: closing it with
        unread data would send a reset, and the broker would drop the acknowledgements it has
        not read yet (and deliver those messages again).
        """
        sock = self._sock
        if sock is not None:
            self._send(bytes([DISCONNECT, 0]))
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + linger
                while (left := deadline - time.monotonic()) > 0:
                    ready, _, _ = select.select([sock], [], [], left)
                    if ready:
                        try:
                            if not sock.recv(READ_SIZE):
                                break
                        except BlockingIOError:
                            continue
            with contextlib.suppress(OSError):
                sock.close()
        self._drop()
