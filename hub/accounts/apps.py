# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hub.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from hub.accounts.api import router
        from hub.accounts.auth import Unauthenticated, unauthenticated_response
        from hub.accounts.ratelimit import RateLimited, rate_limited_response
        from hub.registry import registry

        registry.add_api("", router)
        registry.add_api_error(Unauthenticated, unauthenticated_response)
        registry.add_api_error(RateLimited, rate_limited_response)
