# SPDX-License-Identifier: EUPL-1.2
"""`hub sensors import-devices FILE --tenant SLUG`: register devices from a CSV file
(columns network, key, thing, decoder, mapping as "value=datastream-id; …"), with a progress
bar and a report per row; `hub sensors maintain`: partitions, retention and rollups now;
`hub sensors mqtt-password SLUG`: the tenant's MQTT user; `hub sensors webhook-secret SLUG`:
a new secret for the tenant's LoRaWAN webhooks (both shown once)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.core.errors import HubError
from hub.sensors import devices, mqtt_users, tasks, webhooks
from hub.tenancy.context import tenant_context
from hub.tenancy.models import Tenant


class Command(BaseCommand):
    help = "Sensor network administration: import devices, run maintenance."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imported = sub.add_parser("import-devices", help="register devices from a CSV file")
        imported.add_argument("file", type=Path)
        imported.add_argument("--tenant", required=True)
        sub.add_parser("maintain", help="partitions ahead, retention, rollups")
        password = sub.add_parser(
            "mqtt-password", help="create or change a tenant's MQTT user (prints the password)"
        )
        password.add_argument("tenant")
        password.add_argument("--remove", action="store_true", help="delete the user instead")
        secret = sub.add_parser(
            "webhook-secret",
            help="a new secret for the tenant's LoRaWAN webhooks (prints it; the old one ends)",
        )
        secret.add_argument("tenant")

    def _tenant(self, slug: str) -> Tenant:
        tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
        if tenant is None:
            raise CommandError(f"no active tenant {slug!r}")
        return tenant

    def _webhook_secret(self, slug: str) -> None:
        tenant = self._tenant(slug)
        with tenant_context([tenant.pk]):
            secret = webhooks.new_secret(tenant)
        base = f"{settings.HUB_PUBLIC_URL}/api/v1/t/{slug}/sensoren/webhooks"
        self.stdout.write(
            f"Webhook secret of {slug} (shown once; the old one no longer works): {secret}\n"
            f"Send it in the header X-Hub-Webhook-Secret to\n"
            f"  {base}/tts                  (The Things Stack v3, webhook)\n"
            f"  {base}/chirpstack?event=up  (ChirpStack v4 or v3, HTTP integration)"
        )

    def _mqtt_password(self, slug: str, *, remove: bool) -> None:
        self._tenant(slug)
        try:
            if remove:
                mqtt_users.remove(slug)
                self.stdout.write(f"MQTT user {slug} removed.")
                return
            password = mqtt_users.set_password(slug)
        except mqtt_users.MqttUserError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"MQTT user {slug}, password (shown once): {password}\n"
            f"Devices publish to hub/{slug}/devices/<device>/up."
        )

    def handle(self, *args, action: str, **options):
        if action == "mqtt-password":
            self._mqtt_password(options["tenant"], remove=options["remove"])
            return
        if action == "webhook-secret":
            self._webhook_secret(options["tenant"])
            return
        if action == "maintain":
            self.stdout.write(f"maintenance: {tasks.maintain()}, rollups: {tasks.rollups()}")
            return
        path: Path = options["file"]
        tenant = self._tenant(options["tenant"])
        try:
            table = devices.read_file(path)
            with tenant_context([tenant.pk]):
                report = devices.import_rows(tenant, table.rows, source=path.name)
        except HubError as exc:
            raise CommandError(str(exc)) from None
        report.print(self.stdout)
