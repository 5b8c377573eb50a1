# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "hub.sharing"
    label = "sharing"
    verbose_name = _("Sharing (GBFS)")

    def ready(self) -> None:
        from hub.core.registry import PortalEntry, Urls, registry
        from hub.sharing.api import router

        sample = "hub.sharing.factories:isolation_sample"
        registry.add_api("", router, sample=sample)
        registry.add_urls(Urls("hub.sharing.urls", namespace="sharing", sample=sample))
        registry.add_periodic("gbfs-poll", "hub.sharing.tasks.poll_feeds", 60.0)
        registry.add_portal_entry(
            PortalEntry(
                "mobility",  # part of the mobility centre a tenant offers
                _("Sharing"),
                _("Leihräder, Lastenräder und Autos zum Teilen: Stationen und was dort steht"),
                url_name="sharing:index",
                order=26,
            )
        )
