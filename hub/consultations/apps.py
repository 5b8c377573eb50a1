# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "hub.consultations"
    label = "consultations"
    verbose_name = _("Beteiligungsverfahren")

    def ready(self) -> None:
        from hub.core.registry import OgcLayer, PortalEntry, Urls, command, registry

        registry.add_urls(
            Urls(
                "hub.consultations.urls",
                namespace="consultations",
                sample="hub.consultations.factories:isolation_sample",
            )
        )
        registry.add_seed("consultations", command("consultations", "seed"), order=60)
        registry.add_portal_entry(
            PortalEntry(
                "participation",
                _("Beteiligungsverfahren"),
                _("Mitreden bei Planungen: Vorschläge machen, unterstützen und kommentieren"),
                url_name="consultations:list",
                order=30,
            )
        )
        registry.add_ogc_layer(
            OgcLayer(
                name="vorschlaege",
                title="Vorschläge aus Beteiligungsverfahren",
                title_en="Proposals of consultations",
                abstract="Veröffentlichte Vorschläge von Bürgerinnen und Bürgern, ohne Namen",
                view="vorschlaege",
                geometry="POINT",
                fields=(
                    "id",
                    "verfahren",
                    "phase",
                    "titel",
                    "vorschlag",
                    "ort",
                    "unterstuetzungen",
                    "eingegangen",
                ),
                color="#5f3dc4",
            )
        )
