# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "hub.sensors"
    label = "sensors"
    verbose_name = _("Sensoren")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from connectors import base as connectors
        from hub.core import errors
        from hub.core.registry import (
            SENSORTHINGS,
            WEBHOOK,
            OgcLayer,
            PortalEntry,
            Service,
            Urls,
            command,
            registry,
        )
        from hub.sensors.ingest import Resolver
        from hub.sensors.models import Datastream, Device
        from hub.tenancy.models import Role

        for model in (Device, Datastream):
            post_save.connect(Resolver.forget_all, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(Resolver.forget_all, sender=model, dispatch_uid=f"forget-{model}-d")
        # The LoRaWAN networks must be installed connectors: fail at start, not at the first uplink.
        for name in ("tts", "chirpstack"):
            connectors.load(name, kind="lorawan")

        writers = {Role.EDITOR, Role.DEVELOPER, Role.TENANT_ADMIN, Role.REGION_ADMIN}
        registry.add_role_set("sensor-writers", writers)
        registry.add_role_set("sensor-readers", {*writers, Role.MODERATOR})
        from hub.sensors.api import public_datasets, router
        from hub.sensors.sta.views import render_error

        sample = "hub.sensors.factories:isolation_sample"
        registry.add_service(Service("sensors", _("Sensordaten")))
        registry.add_api("", router, sample=sample)
        registry.add_urls(Urls("hub.sensors.urls", namespace="sensors", sample=sample))
        registry.add_urls(
            Urls(
                "hub.sensors.webhook_urls",
                namespace="sensor_webhooks",
                surface=WEBHOOK,
                sample=sample,
            )
        )
        registry.add_urls(
            Urls("hub.sensors.sta.urls", namespace="sta", surface=SENSORTHINGS, sample=sample)
        )
        errors.add_renderer(SENSORTHINGS, render_error)
        registry.add_periodic("sensor-maintenance", "hub.sensors.tasks.maintain", 60.0 * 60 * 24)
        registry.add_periodic("sensor-rollups", "hub.sensors.tasks.rollups", 60.0 * 60)
        registry.add_seed("sensors", command("simulate", "sensors", "--once"), order=70)
        for entry in (
            PortalEntry(
                "sensors",
                _("Aktuelle Messwerte"),
                _("Luftqualität, Straßenbeleuchtung, WLAN und Energie: die öffentlichen Sensoren"),
                url_name="sensors:latest",
                order=40,
            ),
            PortalEntry(
                "sensors",
                _("SensorThings API"),
                _("Die Sensordaten nach dem OGC-Standard SensorThings API v1.1"),
                url=lambda tenant: f"/t/{tenant.slug}/sta/v1.1/",
                region_url=lambda: "/sta/v1.1/",
                audience="developers",
                order=20,
            ),
        ):
            registry.add_portal_entry(entry)
        registry.add_public_datasets(public_datasets)
        registry.add_ogc_layer(
            OgcLayer(
                name="messstellen",
                title="Messstellen",
                title_en="Sensor sites",
                abstract="Die Messstellen des Sensornetzes mit ihren Datenströmen",
                view="messstellen",
                geometry="POINT",
                fields=("id", "name", "beschreibung", "datenstroeme"),
                color="#0b7285",
            )
        )
