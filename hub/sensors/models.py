# SPDX-License-Identifier: EUPL-1.2
"""The SensorThings v1.1 entities (sensing part), per tenant, and the devices that feed them.

Observation, the latest value per datastream and the dead letters are tables of their own,
created in SQL (migrations 0002): observations are partitioned by month of phenomenon time.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.tenancy.models import TenantOwned

GEOJSON = "application/geo+json"


class Thing(TenantOwned):
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    properties = models.JSONField(default=dict, blank=True)
    # Open data unless the tenant says otherwise: a private thing (and its datastreams and
    # observations) is read only by the tenant's own people and clients.
    public = models.BooleanField(_("öffentlich"), default=True)
    locations = models.ManyToManyField("Location", related_name="things", blank=True)

    class Meta:
        verbose_name = _("Objekt (Thing)")
        verbose_name_plural = _("Objekte (Things)")

    def __str__(self) -> str:
        return self.name

    def place(self, *locations: Location, when: dt.datetime | None = None) -> None:
        """Give the Thing its Location(s): the standard records each move as a
        HistoricalLocation (SensorThings 1.1, 8.2.3)."""
        self.locations.add(*locations)
        history = HistoricalLocation.objects.create(
            tenant_id=self.tenant_id, thing=self, time=when or timezone.now()
        )
        history.locations.add(*locations)


class Location(TenantOwned):
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    encoding_type = models.CharField(max_length=100, default=GEOJSON)
    location = gis.GeometryField(_("Lage"), srid=4326)
    properties = models.JSONField(default=dict, blank=True)
    # The FeatureOfInterest made from this location for observations that name none (as
    # FROST-Server does); made once, at the first such observation (hub.sensors.ingest).
    generated_feature = models.ForeignKey(
        "FeatureOfInterest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="generated_from",
    )

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")

    def __str__(self) -> str:
        return self.name


class HistoricalLocation(TenantOwned):
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    time = models.DateTimeField()
    locations = models.ManyToManyField(Location, related_name="historical_locations")

    class Meta:
        verbose_name = _("Standortverlauf")
        verbose_name_plural = _("Standortverläufe")


class Sensor(TenantOwned):
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    encoding_type = models.CharField(max_length=100, default="application/pdf")
    metadata = models.TextField(blank=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Sensor")
        verbose_name_plural = _("Sensoren")

    def __str__(self) -> str:
        return self.name


class ObservedProperty(TenantOwned):
    name = models.CharField(_("Name"), max_length=200)
    definition = models.URLField(_("Definition"), max_length=500)
    description = models.TextField(_("Beschreibung"), blank=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Messgröße")
        verbose_name_plural = _("Messgrößen")

    def __str__(self) -> str:
        return self.name


class Datastream(TenantOwned):
    MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    # Deleting a Sensor or an ObservedProperty deletes its Datastreams (SensorThings 1.1, 10.4).
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.CASCADE, related_name="datastreams"
    )
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    observation_type = models.URLField(max_length=300, default=MEASUREMENT)
    # {"name": "degree Celsius", "symbol": "°C", "definition": "http://unitsofmeasure.org/ucum.html#para-30"}
    unit_of_measurement = models.JSONField(default=dict)
    observed_area = gis.GeometryField(srid=4326, null=True, blank=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Datenstrom")
        verbose_name_plural = _("Datenströme")

    def __str__(self) -> str:
        return self.name

    @property
    def numeric(self) -> bool:
        return self.observation_type == self.MEASUREMENT


class FeatureOfInterest(TenantOwned):
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    encoding_type = models.CharField(max_length=100, default=GEOJSON)
    feature = gis.GeometryField(srid=4326)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Beobachtungsgegenstand")
        verbose_name_plural = _("Beobachtungsgegenstände")


class Network(models.TextChoices):
    TTS = "tts", "The Things Stack v3"
    CHIRPSTACK = "chirpstack", "ChirpStack"
    MQTT = "mqtt", _("MQTT (JSON)")


class Device(TenantOwned):
    """A device that sends through a network: which datastream each of its values feeds.

    `key` is what the network calls it (TTS device_id, ChirpStack devEui, the MQTT topic's
    device part); `mapping` names, for each value of the decoded payload, a datastream id.
    `decoder` names a payload decoder of connectors.lorawan when the network does not decode.
    """

    network = models.CharField(_("Netz"), max_length=20, choices=Network.choices)
    key = models.CharField(_("Gerätekennung"), max_length=100)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="devices")
    mapping = models.JSONField(_("Zuordnung"), default=dict)
    decoder = models.CharField(_("Dekoder"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "key"], name="device_unique_key")]
        verbose_name = _("Gerät")
        verbose_name_plural = _("Geräte")

    def __str__(self) -> str:
        return f"{self.network}:{self.key}"


class SensorNetwork(TenantOwned):
    """A tenant's settings for ingest: the webhook secret (its hash) and the retention."""

    webhook_secret_sha256 = models.CharField(_("Webhook-Geheimnis (SHA-256)"), max_length=64)
    retention_days = models.PositiveIntegerField(_("Aufbewahrung (Tage)"), default=3 * 365)

    class Meta:
        verbose_name = _("Sensornetz")
        verbose_name_plural = _("Sensornetze")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="sensor_network_tenant")]


# -- tables created in SQL (migration 0002), known to Django for reads and test flushes -------


class Observation(TenantOwned):
    """One observation. The table is partitioned by month of phenomenon_time (its primary
    key is (id, phenomenon_time)); rows are written only by hub.sensors.ingest.write()."""

    id = models.BigAutoField(primary_key=True)
    datastream = models.ForeignKey(Datastream, on_delete=models.CASCADE, db_constraint=False)
    phenomenon_time = models.DateTimeField()
    result_time = models.DateTimeField(null=True)
    result = models.FloatField(null=True)
    result_json = models.JSONField(null=True)
    # No foreign key in the database (the table is partitioned and written by COPY); every
    # observation has one: named in the POST, or generated from its Thing's Location.
    feature = models.ForeignKey(
        FeatureOfInterest,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="observations",
    )
    source_id = models.TextField(default="")

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        db_table = "sensors_observation"


class Latest(TenantOwned):
    """The newest observation of each datastream, kept per batch by ingest."""

    datastream = models.OneToOneField(
        Datastream, on_delete=models.CASCADE, primary_key=True, db_constraint=False
    )
    phenomenon_time = models.DateTimeField()
    result = models.FloatField(null=True)
    result_json = models.JSONField(null=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Letzter Wert")
        verbose_name_plural = _("Letzte Werte")
        db_table = "sensors_latest"


class DeadLetter(models.Model):
    """A payload ingest could not map, with why (operators only; no tenant reads it)."""

    id = models.BigAutoField(primary_key=True)
    received_at = models.DateTimeField(_("Empfangen"))
    channel = models.TextField(_("Kanal"))
    topic = models.TextField(_("Topic oder Adresse"), default="")
    tenant = models.ForeignKey(
        "tenancy.Tenant", null=True, on_delete=models.SET_NULL, db_constraint=False
    )
    reason = models.TextField(_("Grund"))
    size = models.IntegerField(_("Größe (Bytes)"))
    payload = models.BinaryField(_("Inhalt"))

    class Meta:
        verbose_name = _("Nicht zugeordnete Nachricht")
        verbose_name_plural = _("Nicht zugeordnete Nachrichten")
        db_table = "sensors_deadletter"

    def __str__(self) -> str:
        return f"{self.channel} {self.received_at:%Y-%m-%d %H:%M:%S}: {self.reason[:80]}"
