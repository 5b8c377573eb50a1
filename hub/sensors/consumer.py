# SPDX-License-Identifier: EUPL-1.2
"""The ingest consumer (`hub ingest`): MQTT → observations, in batches, losing nothing.

Subscribed with QoS 1 on a persistent session (fixed client id, clean_session off), so the
broker keeps what arrives while the consumer is away. A message is acknowledged only after the
batch holding it (its observations, or its dead letter) is committed: if PostgreSQL goes away,
the batch is kept and written again once it is back, and a crash leaves the unacknowledged
messages with the broker, which delivers them again; the unique (datastream, phenomenon time,
source id) makes that a no-op. One thread reads, maps, writes and acknowledges, through
connectors.mqtt (a subscriber that parses whatever the socket holds in one pass and sends a
batch's acknowledgements in one write; docs/adr/0008).

Topics:
    v3/<app>@<tts-tenant>/devices/<device>/up     The Things Stack v3 uplinks
    hub/<tenant>/devices/<device>/up              a device of ours, plain JSON
    v1.1/Datastreams(<id>)/Observations           SensorThings MQTT create
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import Error as DjangoDatabaseError
from django.db import IntegrityError as DjangoIntegrityError
from django.db import connection, transaction

from connectors import lorawan
from connectors.base import PayloadInvalid
from connectors.mqtt import Message, Session
from hub.sensors import ingest
from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant

log = logging.getLogger(__name__)

# Django wraps the ORM's errors; the COPY runs on psycopg's own cursor and raises psycopg's.
DatabaseUnavailable = (DjangoDatabaseError, psycopg.Error)
IntegrityErrors = (DjangoIntegrityError, psycopg.errors.IntegrityError)
TOPICS = ("v3/+/devices/+/up", "hub/+/devices/+/up", "hub/+/v1.1/#", "v1.1/#")
# The tenant's own (`hub/<tenant>/v1.1/...`, where its MQTT user may write) and the plain one,
# which only the hub's own user may use.
STA_TOPIC = re.compile(r"^(?:hub/([a-z0-9-]+)/)?v1\.1/Datastreams\((\d+)\)/Observations$")
HUB_TOPIC = re.compile(r"^hub/([a-z0-9-]+)/devices/([^/]+)/up$")


@dataclass
class Stats:
    messages: int = 0
    observations: int = 0
    new: int = 0
    dead: int = 0
    batches: int = 0
    retries: int = 0
    started: float = field(default_factory=time.monotonic)


class Consumer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_id: str = "hub-ingest",
        batch_size: int = 5000,
        flush_seconds: float = 0.2,
    ):
        self.batch_size, self.flush_seconds = batch_size, flush_seconds
        self.resolver = ingest.Resolver()
        self.stats = Stats()
        self.stopping = threading.Event()
        self._tenants: dict[str, int | None] = {}
        user, password = settings.HUB_MQTT_AUTH
        self.link = Session(
            host,
            port,
            client_id=client_id,
            topics=TOPICS,
            username=user,
            password=password,
            keepalive=30,
        )

    # -- the loop -------------------------------------------------------------------------------

    def run(self, *, until: float | None = None) -> Stats:
        log.info("ingest: subscribing to %s at %s:%s", TOPICS, self.link.host, self.link.port)
        try:
            while not self.stopping.is_set() and (until is None or time.monotonic() < until):
                batch = self._collect()
                if batch:
                    self._store(batch)
                self.link.keepalive()
        finally:
            self.link.close()
        return self.stats

    def _collect(self) -> list[Message]:
        """Messages until the batch is full or `flush_seconds` after the first of them."""
        batch = self.link.receive(self.flush_seconds, self.batch_size)
        if not batch:
            return []
        deadline = time.monotonic() + self.flush_seconds
        while len(batch) < self.batch_size and not self.stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            batch += self.link.receive(remaining, self.batch_size - len(batch))
        return batch

    def _store(self, batch: list[Message]) -> None:
        """Write the batch (observations and dead letters) in one transaction, then ack it.

        While the database is away, the same batch is tried again with growing pauses (the
        broker connection kept alive meanwhile); nothing is acknowledged before it is committed.
        """
        pause = 0.5
        while not self.stopping.is_set():
            try:
                rows, dead = self._map(batch)  # device lookups read the database too
                with system_context(), transaction.atomic(), connection.cursor() as cursor:
                    new = ingest.write(cursor.cursor, rows)
                    for topic, reason, payload, tenant_id in dead:
                        ingest.dead_letter(
                            cursor,
                            channel="mqtt",
                            topic=topic,
                            reason=reason,
                            payload=payload,
                            tenant_id=tenant_id,
                        )
                break
            except IntegrityErrors:
                # A datastream went away under a cached device mapping (deleted in another
                # process): forget the mappings and map the batch again, at once.
                self.resolver.forget()
                continue
            except DatabaseUnavailable as exc:
                self.stats.retries += 1
                log.warning("ingest: database unavailable (%s); retrying in %.1f s", exc, pause)
                with contextlib.suppress(DatabaseUnavailable):  # the old one is gone anyway
                    connection.close()
                self._wait(pause)
                pause = min(pause * 2, 10.0)
        else:
            return  # stopping: nothing acknowledged, the broker keeps the messages
        self.link.ack(batch)
        self.stats.messages += len(batch)
        self.stats.observations += len(rows)
        self.stats.new += new
        self.stats.dead += len(dead)
        self.stats.batches += 1

    def _wait(self, seconds: float) -> None:
        """Sleep, pinging the broker: a wait for the database must not cost the session."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0 and not self.stopping.is_set():
            self.stopping.wait(min(left, 1.0))
            self.link.keepalive()

    # -- mapping ------------------------------------------------------------------------------

    def _tenant(self, slug: str) -> int | None:
        if slug not in self._tenants:
            found = Tenant.objects.filter(slug=slug, is_active=True).values_list("pk", flat=True)
            self._tenants[slug] = next(iter(found), None)
        return self._tenants[slug]

    def _map(self, batch: list[Message]):
        rows: list[ingest.Row] = []
        dead: list[tuple[str, str, bytes, int | None]] = []
        for message in batch:
            try:
                rows += self.rows(message.topic, message.payload)
            except PayloadInvalid as exc:
                dead.append((message.topic, str(exc), message.payload, None))
            except DatabaseUnavailable:
                raise
            except Exception as exc:  # one bad message never stops the consumer
                log.exception("ingest: unexpected error on %s", message.topic)
                dead.append((message.topic, f"unexpected error: {exc!r}", message.payload, None))
        return rows, dead

    def rows(self, topic: str, payload: bytes) -> list[ingest.Row]:
        if len(payload) > ingest.MAX_PAYLOAD:
            raise PayloadInvalid(f"message of {len(payload)} bytes, at most {ingest.MAX_PAYLOAD}")
        try:
            doc = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise PayloadInvalid(f"not JSON: {exc}") from None
        if topic.startswith("v3/"):
            return self.resolver.rows(lorawan.tts_v3(doc))
        if match := HUB_TOPIC.match(topic):
            tenant_id = self._tenant(match[1])
            if tenant_id is None:
                raise PayloadInvalid(f"unknown tenant {match[1]!r} in the topic")
            return self.resolver.rows(lorawan.plain(doc, match[2], payload), tenant_id=tenant_id)
        if match := STA_TOPIC.match(topic):
            stream = self.resolver.datastream(int(match[2]))
            if stream is None or (match[1] and stream[0] != self._tenant(match[1])):
                raise PayloadInvalid(f"unknown datastream {match[2]}")
            tenant_id, numeric = stream
            return [ingest.observation_row(int(match[2]), tenant_id, numeric, doc, payload)]
        raise PayloadInvalid(f"no reader for topic {topic!r}")
