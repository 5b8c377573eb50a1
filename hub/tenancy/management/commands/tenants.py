# SPDX-License-Identifier: EUPL-1.2
"""hub tenants validate|plan|apply|schema — tenants/*.yaml → hub (and later Keycloak, CKAN, OGC)."""

from __future__ import annotations

import getpass
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            the_plan = reconcile.plan(folder)
        except TenantsInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the tenant files; nothing was applied."
            ) from exc
        except RegisterUnavailable as exc:
            raise CommandError(str(exc)) from exc

        for change in the_plan.changes:
            self.stdout.write(str(change))
        if action == "plan":
            self.stdout.write(f"Plan: {len(the_plan)} change(s). Nothing was changed.")
            return
        applied = reconcile.apply(the_plan, actor=f"cli:{getpass.getuser()}")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Applied {applied} change(s) in {elapsed:.2f}s."))
