# SPDX-License-Identifier: EUPL-1.2
"""hub demo_users — the local stack's demo logins (only when HUB_DEMO_PASSWORD is set)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from hub.accounts.models import User
from identity import demo
from identity.keycloak import admin_client


class Command(BaseCommand):
    help = "Create or refresh the demo users of the local stack (idempotent)."

    def handle(self, *args, **options):
        password = settings.HUB_DEMO_PASSWORD
        if not password:
            self.stdout.write("HUB_DEMO_PASSWORD is empty: no demo users (as in production).")
            return
        # The operators' local superuser for the Django admin.
        admin, _ = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        if not admin.check_password(password):
            admin.set_password(password)
        admin.save()
        # Everyone else signs in through the region's realm.
        names = demo.ensure_region_people(admin_client(), settings.HUB_KEYCLOAK["realm"], password)
        self.stdout.write(f"Demo users ready: admin (local), {', '.join(names)} (Keycloak).")
