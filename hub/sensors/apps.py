# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "hub.sensors"
    label = "sensors"
    verbose_name = _("Sensoren")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hub.registry import OgcLayer, registry
        from hub.sensors.api import public_datasets, router
        from hub.sensors.ingest import Resolver
        from hub.sensors.models import Datastream, Device

        for model in (Device, Datastream):
            post_save.connect(Resolver.forget_all, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(Resolver.forget_all, sender=model, dispatch_uid=f"forget-{model}-d")

        registry.add_api("", router)
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
