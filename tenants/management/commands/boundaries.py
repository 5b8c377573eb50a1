# SPDX-License-Identifier: EUPL-1.2
"""hub boundaries import FILE — official finer boundaries (VG250) replace the coarse VG5000 ones."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hub.tenancy.boundaries import BoundaryFileInvalid, import_boundaries
from tenants import reconcile
from tenants.reconcile.base import Diff
from tenants.reconcile.hub import HubTarget
from tenants.spec import TenantsInvalid

AREA_FIELDS = {"boundary", "boundary_source", "boundary_scale"}


class Command(BaseCommand):
    help = "Import official boundaries (VG250 shapefile, GeoJSON, GeoPackage or the BKG zip)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cmd = sub.add_parser("import", help="replace tenant boundaries by those in FILE")
        cmd.add_argument("file", type=Path)
        cmd.add_argument(
            "--scale",
            type=int,
            default=250_000,
            help="scale denominator of the file (default 250000 for VG250)",
        )
        cmd.add_argument(
            "--source",
            default="VG250 © GeoBasis-DE / BKG",
            help="attribution stored with the boundaries",
        )
        cmd.add_argument("--dry-run", action="store_true", help="report, change nothing")
        cmd.add_argument(
            "--force",
            action="store_true",
            help="also replace boundaries that are finer than the file",
        )

    def handle(self, *args, action, file, scale, source, dry_run, force, **options):
        if scale < 1000:
            raise CommandError(f"--scale {scale}: give the scale denominator, e.g. 250000")

        def progress(layer):
            return tqdm(
                layer,
                total=len(layer),
                desc=f"{file.name}:{layer.name}",
                unit=" features",
                file=self.stderr._out,
                disable=not self.stderr.isatty(),
            )

        try:
            report = import_boundaries(
                file,
                scale=scale,
                source_label=f"{source} ({file.name})",
                actor=f"cli:{getpass.getuser()}",
                dry_run=dry_run,
                force=force,
                progress=progress,
            )
        except BoundaryFileInvalid as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from exc

        write = self.stdout.write
        write(f"Read {report.features} features from {file}.")
        write(f"  replaced:        {len(report.updated):3}  {' '.join(report.updated)}")
        write(f"  unchanged:       {len(report.unchanged):3}  {' '.join(report.unchanged)}")
        if report.kept_finer:
            write(
                f"  kept (finer):    {len(report.kept_finer):3}  {' '.join(report.kept_finer)}"
                "  (use --force to replace)"
            )
        if report.tenants_not_in_file:
            write(
                f"  not in the file: {len(report.tenants_not_in_file):3}  "
                f"{' '.join(report.tenants_not_in_file)}  (keep their boundary)"
            )
        write(f"  features of no tenant: {report.unmatched_features}")
        for problem in report.skipped_features:
            self.stderr.write(f"  skipped: {problem}")
        if dry_run:
            write(self.style.WARNING("Dry run: nothing was changed."))
            return
        derived = self._refresh_derived_areas()
        if derived:
            write(f"  areas of networks recomputed: {' '.join(derived)}")
        write(self.style.SUCCESS(f"Imported {len(report.updated)} boundaries."))

    def _refresh_derived_areas(self) -> list[str]:
        """Networks cover their members: recompute their union from the new boundaries."""
        try:
            desired = reconcile.desired_tenants()
        except TenantsInvalid:
            self.stderr.write(
                "  tenant files are invalid: run 'hub tenants apply' after fixing them "
                "to recompute the areas of networks"
            )
            return []
        target = HubTarget()
        plan = target.plan(desired)
        only_areas = [
            c
            for c in plan.changes
            if c.action == "update" and {f.name for f in c.fields} <= AREA_FIELDS
        ]
        if only_areas:
            target.apply(Diff(only_areas, plan.desired), actor="cli:boundaries")
        return [c.slug for c in only_areas]
