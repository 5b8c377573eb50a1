# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChargingConfig(AppConfig):
    name = "hub.charging"
    label = "charging"
    verbose_name = _("Laden (Elektromobilität)")

    def ready(self) -> None:
        from hub.charging.api import router
        from hub.charging.catalog import public_datasets
        from hub.charging.ocpi_views import render_error
        from hub.core import errors
        from hub.core.registry import OCPI, PortalEntry, Urls, command, registry

        sample = "hub.charging.factories:isolation_sample"
        registry.add_api("", router, sample=sample)
        registry.add_urls(Urls("hub.charging.urls", namespace="charging", sample=sample))
        registry.add_urls(
            Urls(
                "hub.charging.ocpi_urls",
                namespace="ocpi",
                prefix="ocpi/",
                surface=OCPI,
                sample=sample,
            )
        )
        errors.add_renderer(OCPI, render_error)
        registry.add_public_datasets(public_datasets)
        registry.add_seed("charging", command("charging", "import"), order=46)
        registry.add_portal_entry(
            PortalEntry(
                "mobility",  # part of the mobility centre a tenant offers
                _("Ladesäulen"),
                _("Wo kann ich mein Elektroauto laden? Ladesäulen mit ihrem Status"),
                url_name="charging:index",
                order=25,
            )
        )
