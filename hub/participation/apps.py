# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "hub.participation"
    label = "participation"
    verbose_name = _("Beteiligung")

    def ready(self) -> None:
        from hub.core import errors
        from hub.core.registry import (
            OPEN311,
            OgcLayer,
            PortalEntry,
            Service,
            Urls,
            command,
            registry,
        )
        from hub.participation.exports import public_datasets, router
        from hub.participation.open311.errors import render_error
        from hub.participation.search import ReportSearch

        sample = "hub.participation.factories:isolation_sample"
        has_area = lambda tenant: tenant.boundary is not None  # noqa: E731
        registry.add_service(Service("participation", _("Bürgerbeteiligung")))
        registry.add_urls(Urls("hub.participation.urls", namespace="participation", sample=sample))
        registry.add_urls(
            Urls(
                "hub.participation.open311.urls",
                namespace="open311",
                prefix="open311/v2/",
                surface=OPEN311,
                sample=sample,
            )
        )
        errors.add_renderer(OPEN311, render_error)
        registry.add_api("", router, sample=sample)
        registry.add_periodic(
            "anonymise-reports", "hub.participation.tasks.anonymise_reports", 60.0 * 60
        )
        registry.add_seed("participation", command("participation", "seed"), order=50)
        registry.add_search(ReportSearch())
        for entry in (
            PortalEntry(
                "participation",
                _("Problem melden"),
                _("Schlaglöcher, defekte Straßenlaternen, wilden Müll melden, mit oder ohne Karte"),
                url_name="participation:new",
                region_url_name="participation:choose",
                order=10,
                available=has_area,
            ),
            PortalEntry(
                "participation",
                _("Gemeldete Probleme"),
                _("Was andere gemeldet haben und wie weit es ist"),
                url_name="participation:list",
                order=20,
                available=has_area,
            ),
            PortalEntry(
                "participation",
                _("Moderation der Meldungen"),
                _("Neue Meldungen prüfen, weiterleiten und beantworten"),
                url_name="participation:moderation",
                audience="staff",
                order=10,
                available=has_area,
            ),
        ):
            registry.add_portal_entry(entry)
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
