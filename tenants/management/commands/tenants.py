# SPDX-License-Identifier: EUPL-1.2
"""hub tenants validate|plan|apply|schema — tenants/*.yaml → hub (and later Keycloak, CKAN, OGC)."""

from __future__ import annotations

import getpass
import json
import time
from collections import Counter
from pathlib import Path

from ckanapi.errors import CKANAPIError
from django.core.management.base import BaseCommand, CommandError
from keycloak.exceptions import KeycloakError

from connectors.ckan import CkanUnavailable
from identity.realm import IdentityConfigError
from tenants import reconcile
from tenants.register import RegisterUnavailable
from tenants.spec import TenantsInvalid, json_schema


class Command(BaseCommand):
    help = "Validate, plan and apply the tenant definitions (tenants/*.yaml)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("validate", "check every tenant file; print each problem with file, field and reason"),
            ("plan", "show what apply would change; change nothing"),
            ("apply", "reconcile every target with the tenant files"),
        ):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("--dir", type=Path, help="folder of tenant files (default: tenants/)")
            cmd.add_argument(
                "--only",
                action="append",
                choices=reconcile.TARGET_NAMES,
                help="reconcile only this target (repeatable; default: all)",
            )
            cmd.add_argument(
                "--summary",
                action="store_true",
                help="one line per target and action instead of every change (make up)",
            )
        sub.add_parser("schema", help="print the JSON Schema of a tenant file")

    def handle(self, *args, action, **options):
        if action == "schema":
            self.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False))
            return
        folder = options.get("dir")
        started = time.monotonic()
        try:
            if action == "validate":
                desired = reconcile.desired_tenants(folder)
                self.stdout.write(self.style.SUCCESS(f"{len(desired)} tenant files are valid."))
                return
            the_plan = reconcile.plan(folder, only=options.get("only"))
        except TenantsInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the tenant files; nothing was applied."
            ) from exc
        except (RegisterUnavailable, IdentityConfigError, KeycloakError, CkanUnavailable) as exc:
            raise CommandError(f"{exc}\nNothing was applied.") from exc

        if options.get("summary"):
            counts = Counter((c.target, c.action) for c in the_plan.changes)
            for (target, verb), count in sorted(counts.items()):
                self.stdout.write(f"  {target:<9} {verb:<11} {count:>4}")
        else:
            for change in the_plan.changes:
                self.stdout.write(str(change))
        if action == "plan":
            self.stdout.write(f"Plan: {len(the_plan)} change(s). Nothing was changed.")
            return
        try:
            applied = reconcile.apply(the_plan, actor=f"cli:{getpass.getuser()}")
        except (KeycloakError, CKANAPIError, CkanUnavailable) as exc:
            raise CommandError(
                f"A target refused a change: {exc}\nThe targets before it are applied; "
                "apply is idempotent, so run it again once the cause is fixed."
            ) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Applied {applied} change(s) in {elapsed:.2f}s."))
