# SPDX-License-Identifier: EUPL-1.2
"""`hub mapserver`: the local stack's OGC server, MapServer from Debian behind a small HTTP
gateway (see hub.geo.mapserver). The mapfiles are written by `hub tenants apply` (target ogc)
or `hub mapserver --publish`; production uses GeoServer instead (HUB_OGC_PUBLISHER)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.geo import mapserver


class Command(BaseCommand):
    help = "Serve the tenants' OGC layers (WMS, WFS, OGC API Features) through MapServer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.HUB_OGC["port"])

    def handle(self, *args, host: str, port: int, **options) -> None:
        program = Path(settings.HUB_OGC["mapserv"])
        if not program.is_file():
            raise CommandError(
                f"MapServer's CGI program {program} is missing: apt-get install cgi-mapserver"
            )
        published = mapserver.MapServerPublisher().published()
        self.stdout.write(
            f"MapServer gateway on http://{host}:{port}/ for {len(published)} tenant(s): "
            + ", ".join(published)
        )
        mapserver.serve(host, port)
