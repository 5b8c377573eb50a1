# SPDX-License-Identifier: EUPL-1.2
"""Where something is, in a form: a map click (latitude/longitude fields the map fills), a bus
stop nearby, or an address of the local register. One rule for every form that asks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.geo.addresses import resolve as resolve_address


class PlaceMixin:
    """For a form with `lat`, `lon`, `near_stop` and an address field (`address_field`).

    `locate(data)` fills lat/lon from whichever the person gave, or names what is missing.
    """

    address_field = "address"
    stops: dict

    def init_stops(self, stops) -> None:
        self.fields["near_stop"].choices = [("", _("(keine)"))] + [
            (s.id, s.properties["name"]) for s in stops
        ]
        self.stops = {s.id: s for s in stops}

    def locate(self, data: dict) -> dict:
        lat, lon, stop = data.get("lat"), data.get("lon"), data.get("near_stop")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Breiten- und Längengrad gehören zusammen."))
        if lat is None and stop in self.stops:
            chosen = self.stops[stop]
            data["lat"], data["lon"] = chosen.lat, chosen.lon
            data["stop_name"] = chosen.properties["name"]
        address = (data.get(self.address_field) or "").strip()
        if data.get("lat") is None and address:
            found = resolve_address(address, stops=self.stops.values())
            if found is None:
                self.add_error(
                    self.address_field,
                    _(
                        "Diese Adresse kennen wir nicht. Bitte den Ort auf der Karte antippen, "
                        "Koordinaten eingeben oder eine Haltestelle in der Nähe wählen."
                    ),
                )
                return data
            data["lat"], data["lon"] = found.point.y, found.point.x
        if data.get("lat") is None:
            self.add_error(
                "near_stop",
                _(
                    "Bitte den Ort auf der Karte antippen, eine Adresse eingeben oder eine "
                    "Haltestelle in der Nähe wählen."
                ),
            )
        return data
