# SPDX-License-Identifier: EUPL-1.2
"""The local stack's SMTP sink: `python -m hub.core.mailsink`.

It accepts every message and keeps it as an .eml file in <HUB_STATE_DIR>/mail, where developers
read them and tests check them; nothing leaves the machine. Production points HUB_SMTP_HOST at the
municipality's mail relay instead. It reads the hub's configuration but never loads Django: a
process that only writes files needs ~25 MiB, not the ~120 MiB of a Django process (ADR 0010).
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

DATA_SIZE_LIMIT = 2**24  # 16 MiB: photos are not mailed, notifications are small


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


def main(argv: list[str] | None = None) -> None:
    from hub.config import configure

    conf = configure()
    parser = argparse.ArgumentParser(prog="python -m hub.core.mailsink", description=__doc__)
    parser.add_argument("--host", default=conf["HUB_SMTP_HOST"])
    parser.add_argument("--port", type=int, default=conf["HUB_SMTP_PORT"])
    parser.add_argument("--folder", type=Path, default=Path(conf["HUB_STATE_DIR"]) / "mail")
    args = parser.parse_args(argv)
    controller = Controller(
        MaildirHandler(args.folder),
        hostname=args.host,
        port=args.port,
        data_size_limit=DATA_SIZE_LIMIT,
    )
    controller.start()
    print(f"SMTP sink on {args.host}:{args.port} → {args.folder}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
