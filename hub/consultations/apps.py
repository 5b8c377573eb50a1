# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "hub.consultations"
    label = "consultations"
    verbose_name = _("Beteiligungsverfahren")

    def ready(self) -> None:
        from hub.registry import OgcLayer, registry

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
