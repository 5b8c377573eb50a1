# SPDX-License-Identifier: EUPL-1.2
"""The local stack's OGC server: HTTP → MapServer's CGI program, one `mapserv` per request.

    python -m hub.geo.gateway            (what `make up` starts on HUB_OGC_PORT, 8081)

It needs no Django (ADR 0010): it reads the mapfiles `hub tenants apply` writes
(hub.geo.mapserver) from their folder at each request and passes the read-only role's password
to MapServer through libpq's environment (PGPASSWORD), so no mapfile holds one.

    /<slug>/?SERVICE=WMS&REQUEST=GetCapabilities     WMS 1.3.0 / 1.1.1
    /<slug>/?SERVICE=WFS&REQUEST=GetCapabilities     WFS 2.0.0 / 1.1.0
    /<slug>/ogcapi/collections/meldungen/items       OGC API Features
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("hub.geo.gateway")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
MAX_BODY = 64 * 1024  # WFS POST requests; MapServer reads GET parameters from the URL
CGI_TIMEOUT = 60
# Every answer is data (images, XML, JSON, MapServer's plain HTML): never framed, never sniffed
# into another type, no plug-ins; tiles stay embeddable in any map (CORS, img).
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'none'"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)


@dataclass(frozen=True)
class GatewayConfig:
    mapserv: str  # the CGI program (Debian: /usr/lib/cgi-bin/mapserv)
    folder: Path  # the mapfiles, one <slug>.map per tenant, and mapserver.conf
    public_url: str  # the gateway's URL as clients see it
    db_password: str  # of the read-only role the mapfiles connect as

    def published(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.map")) if self.folder.is_dir() else []


def _cgi_environ(handler: Gateway, slug: str, rest: str, query: str) -> dict:
    config = handler.server.config
    public = urlsplit(config.public_url)
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "MAPSERVER_CONFIG_FILE": str(config.folder / "mapserver.conf"),
        "PGPASSWORD": config.db_password,
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_SOFTWARE": "regional-data-hub-mapserver-gateway",
        "REQUEST_METHOD": handler.command,
        "SCRIPT_NAME": "",
        "SERVER_NAME": public.hostname or "localhost",
        "SERVER_PORT": str(public.port or 80),
        "HTTP_HOST": handler.headers.get("Host", ""),
        "REMOTE_ADDR": handler.client_address[0],
        "HTTP_ACCEPT": handler.headers.get("Accept", ""),
        "CONTENT_TYPE": handler.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": handler.headers.get("Content-Length", ""),
    }
    if rest.startswith("ogcapi"):
        environ["PATH_INFO"] = f"/{slug}/{rest}"
        environ["QUERY_STRING"] = query
    else:
        environ["PATH_INFO"] = ""
        environ["QUERY_STRING"] = f"map={slug}&{query}" if query else f"map={slug}"
    return environ


class Gateway(BaseHTTPRequestHandler):
    """HTTP → MapServer CGI. One `mapserv` process per request, as CGI does."""

    server_version = "regional-data-hub-ogc"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            # The unread body must not be taken for the next request: close the connection.
            self.close_connection = True
            self._plain(413, f"Anfrage zu groß (höchstens {MAX_BODY} Bytes).")
            return
        self._handle(self.rfile.read(length))

    def _handle(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        slug, _, rest = parts.path.lstrip("/").partition("/")
        if not slug:
            self._index()
            return
        known = self.server.config.published()
        if not SLUG.fullmatch(slug) or slug not in known:
            self._plain(404, f"Kein Kartendienst für {slug!r}. Bekannt: {', '.join(known)}")
            return
        if rest and not rest.startswith("ogcapi"):
            self._plain(404, f"Unbekannter Pfad {parts.path!r}: /{slug}/ oder /{slug}/ogcapi/")
            return
        try:
            result = subprocess.run(
                [self.server.config.mapserv],
                input=body,
                capture_output=True,
                env=_cgi_environ(self, slug, rest, parts.query),
                timeout=CGI_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            self._plain(504, "MapServer hat nicht rechtzeitig geantwortet.")
            return
        head, separator, payload = result.stdout.partition(b"\r\n\r\n")
        if not separator:
            head, separator, payload = result.stdout.partition(b"\n\n")
        if not separator:
            log.error("mapserv answered without headers: %s", result.stderr[-2000:])
            self._plain(502, "MapServer hat keine gültige Antwort geliefert.")
            return
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name.lower() != "content-length" and name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Access-Control-Allow-Origin", "*")
        self._security_headers()
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _security_headers(self) -> None:
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)

    def _index(self) -> None:
        base = self.server.config.public_url.rstrip("/")
        lines = [f"{slug}: {base}/{slug}/" for slug in self.server.config.published()]
        self._plain(200, "Kartendienste des Regionalen Datenhubs\n\n" + "\n".join(lines))

    def _plain(self, status: int, text: str) -> None:
        body = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self._security_headers()
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], config: GatewayConfig):
        super().__init__(address, Gateway)
        self.config = config


def main(argv: list[str] | None = None) -> None:
    from hub.config import configure

    conf = configure()
    parser = argparse.ArgumentParser(prog="python -m hub.geo.gateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=conf["HUB_OGC_PORT"])
    args = parser.parse_args(argv)
    folder = Path(conf["HUB_MAPSERVER_DIR"] or Path(conf["HUB_STATE_DIR"]) / "mapserver")
    config = GatewayConfig(
        mapserv=conf["HUB_MAPSERV"],
        folder=folder,
        public_url=conf["HUB_OGC_URL"],
        db_password=conf["HUB_OGC_DB_PASSWORD"],
    )
    if not Path(config.mapserv).is_file():
        raise SystemExit(
            f"MapServer's CGI program {config.mapserv} is missing: apt-get install cgi-mapserver"
        )
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = GatewayServer((args.host, args.port), config)
    log.info(
        "MapServer gateway on http://%s:%s/ for %s",
        args.host,
        args.port,
        ", ".join(config.published()) or "no tenant yet",
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
