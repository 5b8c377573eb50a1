# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hub.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from hub.core import errors
        from hub.core.registry import Urls, registry
        from hub.portal.errors import page

        errors.add_renderer("page", page)
        registry.add_urls(Urls("hub.portal.urls", namespace="portal"))
