# SPDX-License-Identifier: EUPL-1.2
"""hub catalog publish — the hub's public data sets to CKAN (also run by Celery beat)."""

from django.core.management.base import BaseCommand, CommandError

from connectors.ckan import CkanUnavailable
from hub.catalog import services


class Command(BaseCommand):
    help = "Publish the hub's public data sets to CKAN and withdraw what the hub no longer lists."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cmd = sub.add_parser("publish", help="create, update and withdraw CKAN datasets")
        cmd.add_argument(
            "--summary", action="store_true", help="only the counts and what was refused (make up)"
        )

    def handle(self, *args, action, **options):
        try:
            report = services.publish()
        except CkanUnavailable as exc:
            raise CommandError(f"{exc}\nNothing more was published; run it again later.") from exc
        for label, names in (
            ("created", report.created),
            ("updated", report.updated),
            ("withdrawn", report.withdrawn),
        ):
            for name in [] if options.get("summary") else names:
                self.stdout.write(f"  {label:9} {name}")
        for name, reason in report.refused.items():
            self.stdout.write(self.style.ERROR(f"  refused   {name}: {reason}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.withdrawn)} withdrawn, "
                f"{len(report.refused)} refused."
            )
        )
