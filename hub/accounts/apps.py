# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hub.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from hub.accounts.api import router
        from hub.core.registry import Urls, command, registry

        registry.add_api("", router)
        registry.add_urls(
            Urls(
                "hub.accounts.urls",
                namespace="accounts",
                sample="hub.accounts.factories:isolation_sample",
            )
        )
        registry.add_seed("demo-directory", command("demo_directory"), order=10)
        registry.add_seed("demo-users", command("demo_users"), order=30)
