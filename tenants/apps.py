# SPDX-License-Identifier: EUPL-1.2
"""The tenant files as a Django app: `hub tenants ...`, `hub boundaries import`, and the
periodic reconcile. It sits above every app of hub/ and reconciles them (ADR 0009); nothing in
hub/ imports it."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    label = "tenantfiles"
    verbose_name = _("Mandantendateien")

    def ready(self) -> None:
        from hub.core.registry import command, registry

        registry.add_periodic(
            "reconcile-tenants",
            "tenants.tasks.reconcile_tenants",
            60.0 * settings.HUB_RECONCILE_MINUTES,
        )
        registry.add_seed("tenants", command("tenants", "apply", "--summary"), order=20)
