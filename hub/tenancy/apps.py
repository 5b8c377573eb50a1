# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "hub.tenancy"
    label = "tenancy"
    verbose_name = _("Mandanten")

    def ready(self) -> None:
        from hub.registry import registry
        from hub.tenancy.api import router

        registry.add_api("", router)
