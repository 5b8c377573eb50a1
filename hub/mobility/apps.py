# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "hub.mobility"
    label = "mobility"
    verbose_name = _("Mobilität")

    def ready(self) -> None:
        from hub.core.registry import OgcLayer, PortalEntry, Service, Urls, command, registry
        from hub.mobility.api import router
        from hub.mobility.catalog import public_datasets
        from hub.mobility.services import service_end_notes

        sample = "hub.mobility.factories:isolation_sample"
        registry.add_service(Service("mobility", _("Mobilität")))
        registry.add_api("", router, sample=sample)
        registry.add_urls(Urls("hub.mobility.urls", namespace="mobility", sample=sample))
        registry.add_periodic("gtfs-refresh", "hub.mobility.tasks.refresh_feeds", 3600.0)
        registry.add_periodic("gtfs-realtime", "hub.mobility.tasks.poll_realtime", 30.0)
        registry.add_periodic(
            "gtfs-service-end", "hub.mobility.tasks.watch_service_end", 60.0 * 60 * 24
        )
        registry.add_public_datasets(public_datasets)
        registry.add_health_note("timetables", service_end_notes)
        registry.add_seed("mobility", command("mobility", "import", "--all"), order=45)
        registry.add_ogc_layer(
            OgcLayer(
                name="linien",
                title="Liniennetz (Bus und Bahn)",
                title_en="Public transport lines",
                abstract=(
                    "Die Linien der eingespielten Fahrpläne, die durch das Gebiet fahren (GTFS,"
                    " NASA GmbH, CC BY 4.0)"
                ),
                view="linien",
                geometry="LINE",
                fields=("id", "linie", "name", "betreiber", "verkehrsmittel", "farbe", "feed"),
                color="#c2255c",
            )
        )
        registry.add_portal_entry(
            PortalEntry(
                "mobility",
                _("Abfahrten"),
                _("Wann fährt mein Bus? Die nächsten Abfahrten an jeder Haltestelle"),
                url_name="mobility:index",
                order=20,
            )
        )
