# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _organization_url(tenant) -> str:
    from django.conf import settings

    return f"{settings.HUB_CKAN_URL}/organization/{settings.HUB_CKAN_ORG_PREFIX}{tenant.slug}"


def _catalogue_url() -> str:
    from django.conf import settings

    return f"{settings.HUB_CKAN_URL}/dataset/"


class CatalogConfig(AppConfig):
    name = "hub.catalog"
    label = "catalog"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from hub.catalog.search import DatasetSearch
        from hub.core.registry import PortalEntry, Service, command, registry

        registry.add_service(Service("open_data", _("Offene Daten")))
        registry.add_periodic("publish-catalog", "hub.catalog.tasks.publish_catalog", 60.0 * 30)
        registry.add_seed("catalog", command("catalog", "publish", "--summary"), order=90)
        registry.add_search(DatasetSearch())
        registry.add_portal_entry(
            PortalEntry(
                "open_data",
                _("Offene Daten"),
                _("Die Datensätze im Katalog (CKAN, DCAT-AP.de): herunterladen und weiternutzen"),
                url=_organization_url,
                region_url=_catalogue_url,
                audience="developers",
                order=10,
            )
        )
