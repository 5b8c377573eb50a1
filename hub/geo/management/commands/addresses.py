# SPDX-License-Identifier: EUPL-1.2
"""`hub addresses import FILE.csv`: fill the local address register (official house
coordinates or any CSV with street, number, postcode, town, latitude, longitude);
`hub addresses find TEXT`: look one up, as the report form does."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.core.errors import HubError
from hub.geo import addresses


class Command(BaseCommand):
    help = "The local address register: import a file, or find an address."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imported = sub.add_parser("import", help="import a CSV file of addresses")
        imported.add_argument("file", type=Path)
        imported.add_argument("--source", default="", help="attribution stored with each address")
        find = sub.add_parser("find", help="look up an address or stop name")
        find.add_argument("text")

    def handle(self, *args, action: str, **options):
        if action == "find":
            found = addresses.resolve(options["text"])
            if found is None:
                raise CommandError(f"not in the local register: {options['text']!r}")
            self.stdout.write(
                f"{found.label} ({found.precision}): {found.point.y:.6f}, {found.point.x:.6f}"
            )
            return
        path: Path = options["file"]
        try:
            table = addresses.read_file(path)
            report = addresses.import_rows(table.rows, options["source"] or path.name)
        except HubError as exc:
            raise CommandError(str(exc)) from None
        report.print(self.stdout)
