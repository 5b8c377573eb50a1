# SPDX-License-Identifier: EUPL-1.2
"""The local address register: where a street address is, without asking anybody else.

Reports and proposals may give an address instead of a map point; it is looked up here, never
in an external geocoder at run time. Filled by `hub addresses import` from official house
coordinates (or any CSV of street, number, postcode, town, latitude, longitude) and seeded
from the addresses of the charging-station register in ../shared/data.
"""

from __future__ import annotations

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _


class Address(models.Model):
    street = models.CharField(_("Straße"), max_length=150)
    number = models.CharField(_("Hausnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    town = models.CharField(_("Ort"), max_length=100)
    # Normalised street and town (lower case, ß → ss, "str." → "strasse"): what lookups compare.
    street_key = models.CharField(max_length=150, db_index=True)
    town_key = models.CharField(max_length=100)
    location = gis.PointField(_("Lage"), srid=4326)
    source = models.CharField(_("Quelle"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["street_key", "number", "postcode", "town_key"], name="address_unique"
            )
        ]
        indexes = [models.Index(fields=["street_key", "town_key"], name="address_street_town")]
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        house = f"{self.street} {self.number}".strip()
        return f"{house}, {self.postcode} {self.town}".replace(",  ", ", ").strip()
