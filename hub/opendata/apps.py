# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "hub.opendata"
    label = "opendata"
    verbose_name = _("Offene Basisdaten")

    def ready(self) -> None:
        from hub.opendata.api import router
        from hub.opendata.catalog import public_datasets
        from hub.registry import registry

        registry.add_api("", router)
        registry.add_public_datasets(public_datasets)
