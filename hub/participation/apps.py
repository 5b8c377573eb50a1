# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "hub.participation"
    label = "participation"
    verbose_name = _("Beteiligung")

    def ready(self) -> None:
        from hub.participation.exports import public_datasets, router
        from hub.registry import registry

        registry.add_api("", router)
        registry.add_public_datasets(public_datasets)
