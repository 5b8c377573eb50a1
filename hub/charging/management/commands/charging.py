# SPDX-License-Identifier: EUPL-1.2
"""`hub charging …`: the charging stations.

hub charging import [FILE|URL] [--dry-run]   a release of the BNetzA Ladesäulenregister
                                            (default: the extract in ../shared/data)
hub charging invite TENANT NAME [--register-operator NAME]
                                            an operator for OCPI: its registration token
hub charging partners                        the OCPI partners and what they sent
"""

from __future__ import annotations

from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.charging import services
from hub.charging.models import Location, Party, Station
from hub.core import imports
from hub.core.errors import HubError
from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant

DEFAULT = Path(settings.HUB_DATA_DIR) / "charging" / "ladesaeulenregister_boerde.csv"


class Command(BaseCommand):
    help = "Charging stations: the register import and the OCPI partners."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="a release of the Ladesäulenregister")
        imp.add_argument("source", nargs="?", help=f"a CSV file or URL (default: {DEFAULT})")
        imp.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        imp.add_argument("--no-progress", action="store_true")
        invite = sub.add_parser("invite", help="an operator for OCPI 2.2.1")
        invite.add_argument("tenant", help="the tenant whose staff look after the operator")
        invite.add_argument("name", help="the operator's name")
        invite.add_argument("--register-operator", default="", help="its name in the register")
        sub.add_parser("partners", help="the OCPI partners")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except HubError as exc:
            raise CommandError(exc.message) from None

    def _import(self, *, source, dry_run, no_progress, **options):
        if source and source.startswith(("http://", "https://")):
            try:
                answer = requests.get(source, timeout=60, stream=True)
                answer.raise_for_status()
                data = answer.raw.read(imports.MAX_BYTES + 1, decode_content=True)
            except requests.RequestException as exc:
                raise CommandError(f"{source}: {exc}") from None
            report = services.import_register(
                data, name=source, progress=not no_progress, dry_run=dry_run
            )
        else:
            path = Path(source) if source else DEFAULT
            report = services.import_register(
                path, name=path.name, progress=not no_progress, dry_run=dry_run
            )
        report.print(self.stdout)
        total = Station.objects.filter(withdrawn=False).count()
        self.stdout.write(f"  the register now holds {total} charging stations")

    def _invite(self, *, tenant, name, register_operator, **options):
        found = Tenant.objects.filter(slug=tenant).first()
        if found is None:
            raise CommandError(f"no tenant {tenant!r}")
        party, token = services.invite(found, name, register_operator)
        versions = f"{settings.HUB_PUBLIC_URL}/ocpi/versions"
        self.stdout.write(f"OCPI partner {party.name} (tenant {found.slug})")
        self.stdout.write(f"  versions URL:       {versions}")
        self.stdout.write(f"  registration token: {token}")
        self.stdout.write(
            "  Give both to the operator over a safe channel; the token is shown once."
        )

    def _partners(self, **options):
        with system_context():
            parties = list(Party.objects.select_related("tenant"))
            for party in parties:
                state = (
                    f"registered {party.registered_at:%Y-%m-%d}"
                    if party.registered_at
                    else ("invited")
                )
                count = Location.objects.filter(party=party).count()
                self.stdout.write(
                    f"{party.name} ({party.tenant.slug}): {state}, {count} location(s)"
                )
        if not parties:
            self.stdout.write("no OCPI partners yet (hub charging invite …)")
