# SPDX-License-Identifier: EUPL-1.2
"""`hub participation seed`: default categories for every participating tenant;
`hub participation anonymise`: run the anonymisation now."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from hub.participation import services


class Command(BaseCommand):
    help = "Citizen reports: seed the default categories, or anonymise closed reports now."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed", "anonymise"])

    def handle(self, *args, action: str, **options):
        if action == "seed":
            total = 0
            for tenant in services.participating_tenants().order_by("slug"):
                created = services.ensure_default_categories(tenant)
                total += created
                addressed = services.address_categories(
                    tenant, settings.CONFIG["HUB_DEMO_DEPARTMENT_EMAIL"]
                )
                note = f", {addressed} given the demo address" if addressed else ""
                self.stdout.write(f"  {tenant.slug:<28} {created} new categories{note}")
            self.stdout.write(self.style.SUCCESS(f"Categories: {total} created."))
        else:
            count = services.anonymise_closed(settings.HUB_REPORT_ANONYMISE_DAYS)
            self.stdout.write(self.style.SUCCESS(f"Anonymised {count} closed reports."))
