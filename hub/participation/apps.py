# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "hub.participation"
    label = "participation"
    verbose_name = _("Beteiligung")

    def ready(self) -> None:
        from hub.participation.exports import public_datasets, router
        from hub.registry import OgcLayer, registry

        registry.add_api("", router)
        registry.add_public_datasets(public_datasets)
        registry.add_ogc_layer(
            OgcLayer(
                name="meldungen",
                title="Meldungen",
                title_en="Reports",
                abstract=(
                    "Geprüfte Meldungen von Bürgerinnen und Bürgern, ohne personenbezogene Daten"
                ),
                view="meldungen",
                geometry="POINT",
                fields=(
                    "id",
                    "kategorie",
                    "status",
                    "status_text",
                    "beschreibung",
                    "hinweis",
                    "weitergeleitet_an",
                    "eingegangen",
                    "aktualisiert",
                    "abgeschlossen",
                ),
                class_item="status",
                classes=(
                    ("reviewed", "offen", "#d9480f"),
                    ("in_progress", "in Bearbeitung", "#f0a202"),
                    ("fixed", "erledigt", "#2b8a3e"),
                ),
                color="#6c757d",
            )
        )
