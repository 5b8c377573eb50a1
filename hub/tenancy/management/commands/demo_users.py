# SPDX-License-Identifier: EUPL-1.2
"""hub demo_users — the local stack's demo logins (only when HUB_DEMO_PASSWORD is set)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from hub.accounts.models import User
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Role, Tenant

DEMO = [
    # username, superuser, [(tenant slug, role)]
    ("admin", True, []),
    ("editor.haldensleben", False, [("haldensleben", Role.EDITOR)]),
    ("admin.landkreis", False, [("landkreis-boerde", Role.TENANT_ADMIN)]),
    ("moderator.hohe-boerde", False, [("hohe-boerde", Role.MODERATOR)]),
]


class Command(BaseCommand):
    help = "Create or refresh the demo users of the local stack (idempotent)."

    def handle(self, *args, **options):
        password = settings.HUB_DEMO_PASSWORD
        if not password:
            self.stdout.write("HUB_DEMO_PASSWORD is empty: no demo users (as in production).")
            return
        with system_context():
            for username, superuser, grants in DEMO:
                user, _ = User.objects.get_or_create(username=username)
                user.is_staff = True
                user.is_superuser = superuser
                if not user.check_password(password):
                    user.set_password(password)
                user.save()
                for slug, role in grants:
                    tenant = Tenant.objects.get(slug=slug)
                    Membership.objects.get_or_create(user=user, tenant=tenant, role=role)
        self.stdout.write(f"{len(DEMO)} demo users ready.")
