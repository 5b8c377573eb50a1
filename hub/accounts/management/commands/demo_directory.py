# SPDX-License-Identifier: EUPL-1.2
"""hub demo_directory — the local stand-in for Hohe Börde's own directory (a second realm)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from hub.config import layered_environ
from identity import demo
from identity.keycloak import admin_client


class Command(BaseCommand):
    help = "Create the demo directory realm of Hohe Börde in the local Keycloak (idempotent)."

    def handle(self, *args, **options):
        password = settings.HUB_DEMO_PASSWORD
        if not password:
            self.stdout.write("HUB_DEMO_PASSWORD is empty: no demo directory (as in production).")
            return
        demo.ensure_directory(
            admin_client(),
            broker_secret=layered_environ()["HUB_IDP_HOHE_BOERDE_SECRET"],
            region_url=settings.HUB_OIDC_ISSUER,
            password=password,
        )
        self.stdout.write(f"Demo directory realm {demo.DIRECTORY_REALM!r} ready.")
