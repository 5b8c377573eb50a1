# SPDX-License-Identifier: EUPL-1.2
"""Charging stations: the Bundesnetzagentur register (static: where, what, whose), the operators
that send live status over OCPI 2.2.1, what they sent (Locations and EVSEs), the status history,
and the link from an operator's Location to a register entry.

The register and the live status are open data (a charger is a public place), so they carry no
tenant key; a tenant's pages show what lies inside its area. An OCPI party belongs to the tenant
whose staff look after it (the Stadtwerke to their town): its tokens and the review list of its
unmatched Locations are that tenant's."""

from __future__ import annotations

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.tenancy.models import TenantOwned


class Match(models.TextChoices):
    NONE = "", _("offen")
    AUTOMATIC = "auto", _("automatisch (Betreiber und Ort)")
    STAFF = "staff", _("von der Verwaltung zugeordnet")


class Station(models.Model):
    """A charging device (Ladeeinrichtung) of the register, with its charge points."""

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Normalladeeinrichtung")
        FAST = "fast", _("Schnellladeeinrichtung")

    key = models.CharField(max_length=64, unique=True)  # stable across re-imports of a release
    source = models.CharField(max_length=40, default="bnetza")
    operator = models.CharField(_("Betreiber"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100)
    point = gis.PointField(srid=4326)
    commissioned = models.DateField(_("In Betrieb seit"), null=True, blank=True)
    power_kw = models.DecimalField(_("Anschlussleistung (kW)"), max_digits=8, decimal_places=2)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    line = models.PositiveIntegerField(default=0)  # where it stands in the imported file
    withdrawn = models.BooleanField(default=False)  # not in the newest release any more
    # The operator's OCPI Location that is this device (several devices of a register may be
    # one Location: a charging park), and how the link was made.
    location = models.ForeignKey(
        "Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="stations"
    )
    match = models.CharField(max_length=10, choices=Match.choices, default="", blank=True)
    match_metres = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "address", "key"]
        verbose_name = _("Ladeeinrichtung")
        verbose_name_plural = _("Ladeeinrichtungen")

    def __str__(self) -> str:
        return f"{self.operator}, {self.address}, {self.city}"


class ChargePoint(models.Model):
    """A charge point (Ladepunkt) of a station: its plugs and power, from the register."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField()  # 1..n as the register numbers them
    plugs = models.JSONField(default=list)  # ["AC Steckdose Typ 2", "AC Schuko"]
    power_kw = models.DecimalField(max_digits=8, decimal_places=2, null=True)

    class Meta:
        ordering = ["station", "position"]
        constraints = [
            models.UniqueConstraint(fields=["station", "position"], name="charging_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.position}"


class Party(TenantOwned):
    """An operator platform connected over OCPI 2.2.1 (a CPO), registered through the
    Credentials module. Only SHA-256 digests of the tokens it uses towards the hub are kept."""

    name = models.CharField(_("Name"), max_length=200)
    # The operator's name as the register writes it ("Stadtwerke Haldensleben GmbH"): its
    # Locations are matched to register entries of that operator.
    register_operator = models.CharField(_("Betreiber im Ladesäulenregister"), max_length=200)
    token_a_sha256 = models.CharField(max_length=64, blank=True)  # for registering, once
    token_c_sha256 = models.CharField(max_length=64, blank=True)  # after registering
    token_b = models.CharField(max_length=64, blank=True)  # theirs, for calling them
    versions_url = models.URLField(max_length=255, blank=True)
    endpoints = models.JSONField(default=list)  # their version details' endpoints
    roles = models.JSONField(default=list)  # their CredentialsRoles
    registered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OCPI-Partner")
        verbose_name_plural = _("OCPI-Partner")

    def __str__(self) -> str:
        return self.name

    def owns(self, country_code: str, party_id: str) -> bool:
        """Whether (country_code, party_id) is one of its CPO roles (CiStrings: case ignored)."""
        return any(
            r.get("role") == "CPO"
            and str(r.get("country_code", "")).upper() == country_code.upper()
            and str(r.get("party_id", "")).upper() == party_id.upper()
            for r in self.roles
        )


class Location(models.Model):
    """An OCPI Location as its operator last sent it; `stations` are the register entries
    it is."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="locations")
    country_code = models.CharField(max_length=2)
    party_code = models.CharField(max_length=3)  # OCPI party_id (the FK is `party`)
    location_id = models.CharField(max_length=36)
    data = models.JSONField()  # the Location without its evses, as validated
    point = gis.PointField(srid=4326)
    last_updated = models.DateTimeField()
    # Staff looked at it and found no register entry (a new charger the register lacks yet).
    unregistered = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_code", "location_id"], name="charging_location_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_code}*{self.party_code} {self.location_id}"


class Evse(models.Model):
    """An EVSE of a Location with its current status; connectors are kept as sent."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="evses")
    uid = models.CharField(max_length=36)
    evse_id = models.CharField(max_length=48, blank=True)
    status = models.CharField(max_length=12)
    data = models.JSONField()  # the EVSE as validated, connectors included
    last_updated = models.DateTimeField()
    present = models.BooleanField(default=True)  # False: left out of the Location's last PUT

    class Meta:
        ordering = ["location", "uid"]
        constraints = [
            models.UniqueConstraint(fields=["location", "uid"], name="charging_evse_once")
        ]

    def __str__(self) -> str:
        return self.evse_id or self.uid


class StatusChange(models.Model):
    """The status history of an EVSE: one row per change, at the operator's `last_updated`."""

    evse = models.ForeignKey(Evse, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=12)
    at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evse", "at"]
        indexes = [models.Index(fields=["evse", "at"])]

    def __str__(self) -> str:
        return f"{self.evse_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
