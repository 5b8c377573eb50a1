# SPDX-License-Identifier: EUPL-1.2
"""`hub addresses import FILE.csv`: fill the local address register (official house
coordinates or any CSV with street, number, postcode, town, latitude, longitude);
`hub addresses seed`: the addresses of the charging-station register in ../shared/data;
`hub addresses find TEXT`: look one up, as the report form does."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hub.files import read_text, report_problems
from hub.geo import addresses

MAX_FILE_BYTES = 512 * 1024 * 1024


class Command(BaseCommand):
    help = "The local address register: import, seed, find."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imported = sub.add_parser("import", help="import a CSV file of addresses")
        imported.add_argument("file", type=Path)
        imported.add_argument("--source", default="", help="attribution stored with each address")
        sub.add_parser("seed", help="the charging-station register's addresses")
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
        if action == "seed":
            source = "Ladesäulenregister der Bundesnetzagentur (CC BY 4.0)"
            report = addresses.import_rows(addresses.charging_register_rows(), source)
        else:
            path: Path = options["file"]
            text = read_text(path, MAX_FILE_BYTES)
            try:
                with tqdm(desc="addresses", unit=" rows", disable=None) as progress:
                    report = addresses.import_rows(
                        addresses.read_rows(text), options["source"] or path.name, progress
                    )
            except (addresses.AddressFileInvalid, csv.Error) as exc:
                raise CommandError(f"{path}: {exc}") from None
        report_problems(self.stdout, report.problems)
        self.stdout.write(
            self.style.SUCCESS(
                f"Addresses: {report.imported} imported of {report.rows} rows, "
                f"{len(report.problems)} skipped."
            )
        )
