# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "hub.opendata"
    label = "opendata"
    verbose_name = _("Offene Basisdaten")

    def ready(self) -> None:
        from hub.core.registry import MapLayer, registry
        from hub.opendata.api import router
        from hub.opendata.catalog import public_datasets
        from hub.opendata.search import StopSearch
        from hub.opendata.services import seed_addresses

        registry.add_api("", router, sample="hub.opendata.factories:isolation_sample")
        registry.add_public_datasets(public_datasets)
        registry.add_seed("addresses", seed_addresses, order=40)
        registry.add_search(StopSearch())
        export = "api:opendata_export"
        for layer in (
            MapLayer(
                "haltestellen",
                _("Haltestellen"),
                export,
                color="#2b8a3e",
                order=20,
                url_kwargs=(("identifier", "haltestellen"), ("fmt", "geojson")),
            ),
            MapLayer(
                "ladesaeulen",
                _("Ladesäulen"),
                export,
                color="#a34700",
                order=30,
                url_kwargs=(("identifier", "ladesaeulen"), ("fmt", "geojson")),
            ),
            MapLayer("adressen", _("Adressen"), "api:addresses_geojson", color="#6c757d", order=40),
        ):
            registry.add_map_layer(layer)
