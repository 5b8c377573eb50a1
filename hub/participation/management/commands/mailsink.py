# SPDX-License-Identifier: EUPL-1.2
"""`hub mailsink`: the local stack's SMTP server. It accepts every message and keeps it as an
.eml file in HUB_MAIL_DIR, where developers read them and tests check them; nothing leaves
the machine. Production points HUB_SMTP_HOST at the municipality's mail relay instead."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand


class MaildirHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.count += 1
            name = f"{time.time_ns()}-{self.count}.eml"
        tmp = self.folder / f".{name}"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.folder / name)  # readers never see half a message
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = "Run the local SMTP sink (messages go to HUB_MAIL_DIR as .eml files)."

    def handle(self, *args, **options):
        handler = MaildirHandler(Path(settings.HUB_MAIL_DIR))
        controller = Controller(
            handler, hostname=settings.EMAIL_HOST, port=settings.EMAIL_PORT, data_size_limit=2**24
        )
        controller.start()
        self.stdout.write(
            f"SMTP sink on {settings.EMAIL_HOST}:{settings.EMAIL_PORT} → {settings.HUB_MAIL_DIR}"
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        controller.stop()
