# SPDX-License-Identifier: EUPL-1.2
"""A real HTTP server on a free local port, in a thread, for the outside systems a test stands
in for (a feed's publisher, a GTFS-RT partner, the conformance suite's token proxy)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # the test's output, not an access log
        pass


@contextmanager
def serving(server: LocalServer) -> Iterator[LocalServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class FilesServer(LocalServer):
    """Serves {name: bytes} as /<name> (JSON); the files may be replaced between requests."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                body = server.files.get(self.path.lstrip("/"))
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)

    def publish(self, files: dict[str, object]) -> None:
        """Serve these JSON documents from now on, by file name."""
        import json

        self.files = {name: json.dumps(body).encode() for name, body in files.items()}
