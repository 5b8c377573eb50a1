# SPDX-License-Identifier: EUPL-1.2
"""`hub ingest`: the sensor ingest consumer (see hub.sensors.consumer), started by `make up`."""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from hub.sensors.consumer import Consumer

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Consume sensor messages from MQTT and write observations in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--flush-seconds", type=float, default=0.2)
        parser.add_argument("--client-id", default="hub-ingest")
        parser.add_argument("--report-seconds", type=float, default=30.0)

    def handle(self, *args, batch_size, flush_seconds, client_id, report_seconds, **options):
        host, port = settings.HUB_MQTT
        consumer = Consumer(
            host, port, client_id=client_id, batch_size=batch_size, flush_seconds=flush_seconds
        )
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: consumer.stopping.set())

        def report() -> None:
            while not consumer.stopping.wait(report_seconds):
                s = consumer.stats
                rate = s.observations / max(time.monotonic() - s.started, 1e-9)
                log.info(
                    "ingest: %d messages, %d observations (%d new, %.0f/s), %d dead letters, "
                    "%d batches, %d database retries, %d MQTT reconnects",
                    s.messages,
                    s.observations,
                    s.new,
                    rate,
                    s.dead,
                    s.batches,
                    s.retries,
                    consumer.link.reconnects,
                )

        threading.Thread(target=report, daemon=True).start()
        self.stdout.write(f"ingest: MQTT {host}:{port} as {client_id}, batches of {batch_size}")
        consumer.run()
        self.stdout.write("ingest: stopped; unacknowledged messages stay with the broker")
