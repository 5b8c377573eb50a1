# SPDX-License-Identifier: EUPL-1.2
"""Sharing (bikes, cargo bikes, cars): GBFS feeds the hub reads, with the last state that
passed validation, and the fleets tenants run themselves, which the hub publishes as GBFS 3.0.

What a feed says is public (GBFS is open data by design); a tenant's own fleet is maintained by
its staff, so fleets carry the tenant key."""

from __future__ import annotations

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.tenancy.models import TenantOwned


class Feed(models.Model):
    """A GBFS feed read by the hub: its discovery URL (gbfs.json, or a 3.0 manifest.json)."""

    slug = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    url = models.URLField(_("Adresse (gbfs.json oder manifest.json)"), max_length=500)
    attribution = models.CharField(_("Namensnennung"), max_length=300, blank=True)
    docked = models.BooleanField(_("mit Stationen"), default=True)
    free_floating = models.BooleanField(_("frei abgestellt"), default=False)
    version = models.CharField(max_length=10, blank=True)
    system = models.JSONField(default=dict)  # system_information, as read
    polled_at = models.DateTimeField(null=True, blank=True)
    good_at = models.DateTimeField(null=True, blank=True)  # the state shown is from then
    error = models.TextField(blank=True)  # why the last poll was not taken, "" when it was
    notices = models.JSONField(default=list)  # the validator's notices of the last poll

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Station(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="stations")
    station_id = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    point = gis.PointField(srid=4326)
    capacity = models.PositiveIntegerField(null=True)
    vehicles_available = models.PositiveIntegerField(null=True)
    docks_available = models.PositiveIntegerField(null=True)
    is_renting = models.BooleanField(null=True)
    is_returning = models.BooleanField(null=True)
    reported_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "station_id"], name="sharing_station_once")
        ]

    def __str__(self) -> str:
        return self.name or self.station_id


class Vehicle(models.Model):
    """A vehicle of a feed that is available (GBFS lists only those), parked or at a station."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="vehicles")
    vehicle_id = models.CharField(max_length=200)
    point = gis.PointField(srid=4326, null=True)
    station_id = models.CharField(max_length=200, blank=True)
    vehicle_type_id = models.CharField(max_length=200, blank=True)
    is_reserved = models.BooleanField(default=False)
    is_disabled = models.BooleanField(default=False)
    range_m = models.FloatField(null=True)

    def __str__(self) -> str:
        return self.vehicle_id


class Zone(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=300, blank=True)
    area = gis.MultiPolygonField(srid=4326)
    rules = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.name


class Fleet(TenantOwned):
    """A sharing system a tenant runs itself (the town's cargo bikes), published as GBFS 3.0."""

    system_id = models.SlugField(_("Kennung (system_id)"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    operator = models.CharField(_("Betreiber"), max_length=200)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    url = models.URLField(_("Website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("eigenes Sharing-Angebot")
        verbose_name_plural = _("eigene Sharing-Angebote")

    def __str__(self) -> str:
        return self.name


class FleetStation(TenantOwned):
    fleet = models.ForeignKey(Fleet, on_delete=models.CASCADE, related_name="stations")
    station_id = models.SlugField(_("Kennung"), max_length=60)
    name = models.CharField(_("Name"), max_length=200)
    point = gis.PointField(srid=4326)
    address = models.CharField(_("Adresse"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("Stellplätze"))
    is_renting = models.BooleanField(_("Ausleihe möglich"), default=True)
    is_returning = models.BooleanField(_("Rückgabe möglich"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fleet", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fleet", "station_id"], name="sharing_fleetstation_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FleetVehicle(TenantOwned):
    class Form(models.TextChoices):
        BICYCLE = "bicycle", _("Fahrrad")
        CARGO_BICYCLE = "cargo_bicycle", _("Lastenrad")
        CAR = "car", _("Auto")
        SCOOTER = "scooter_standing", _("E-Tretroller")

    class Propulsion(models.TextChoices):
        HUMAN = "human", _("Muskelkraft")
        ELECTRIC_ASSIST = "electric_assist", _("mit Elektrounterstützung")
        ELECTRIC = "electric", _("elektrisch")

    fleet = models.ForeignKey(Fleet, on_delete=models.CASCADE, related_name="vehicles")
    vehicle_id = models.SlugField(_("Kennung"), max_length=60)
    name = models.CharField(_("Name"), max_length=200)
    form_factor = models.CharField(_("Art"), max_length=20, choices=Form.choices)
    propulsion = models.CharField(_("Antrieb"), max_length=20, choices=Propulsion.choices)
    max_range_m = models.PositiveIntegerField(_("Reichweite (m)"), null=True, blank=True)
    station = models.ForeignKey(
        FleetStation, on_delete=models.SET_NULL, null=True, blank=True, related_name="vehicles"
    )
    is_reserved = models.BooleanField(_("reserviert"), default=False)
    is_disabled = models.BooleanField(_("außer Betrieb"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fleet", "vehicle_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fleet", "vehicle_id"], name="sharing_fleetvehicle_once"
            )
        ]

    def __str__(self) -> str:
        return self.name
