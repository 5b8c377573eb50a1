# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.consultations import services
from hub.consultations.models import Moderation, Phase
from hub.geo.forms import PlaceMixin


class ProposalForm(PlaceMixin, forms.Form):
    """A proposal: the place from the map (lat/lon, filled by a click) or, without a map, from
    the list of places in the consultation's area (bus stops), plus a description of the spot."""

    title = forms.CharField(label=_("Titel"), max_length=services.MAX_TITLE)
    text = forms.CharField(
        label=_("Ihr Vorschlag"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.MAX_TEXT,
        help_text=_("Was schlagen Sie vor, und warum? Bitte keine Namen anderer Personen."),
    )
    lat = forms.FloatField(label=_("Breitengrad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Längengrad"), required=False, min_value=-180, max_value=180)
    near_stop = forms.ChoiceField(label=_("… oder in der Nähe der Haltestelle"), required=False)
    place = forms.CharField(
        label=_("Adresse oder Ortsbeschreibung"),
        max_length=200,
        required=False,
        help_text=_(
            "Ohne Karte und Haltestelle: eine Adresse, z. B. Bahnhofstraße 1, Haldensleben"
        ),
    )

    address_field = "place"

    def __init__(self, *args, stops, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_stops(stops)

    def clean(self):
        data = self.locate(super().clean())
        if data.get("stop_name") and not data.get("place"):
            data["place"] = _("Haltestelle %s") % data["stop_name"]
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Kommentar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_COMMENT,
    )


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    slug = forms.SlugField(
        label=_("Kurzname (für die Adresse)"),
        max_length=80,
        help_text=_("Kleinbuchstaben, Ziffern und Bindestriche, z. B. markt-2027"),
    )
    summary = forms.CharField(
        label=_("Worum es geht"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    participation_until = forms.DateField(
        label=_("Beteiligung bis (TT.MM.JJJJ)"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
    )
    area = forms.CharField(
        label=_("Gebiet als GeoJSON-Polygon (leer: das ganze Gemeindegebiet)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        required=False,
        max_length=500_000,
        help_text=_("Auf der Karte: Eckpunkte nacheinander antippen; das Feld wird ausgefüllt."),
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    result = forms.CharField(
        label=_("Ergebnis (für die Phase „Ergebnis“)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
    )


class ModerateForm(forms.Form):
    kind = forms.ChoiceField(choices=[("proposal", "proposal"), ("comment", "comment")])
    item = forms.IntegerField(min_value=1)
    state = forms.ChoiceField(
        choices=[(Moderation.PUBLISHED, Moderation.PUBLISHED), (Moderation.REJECTED, "x")]
    )
    note = forms.CharField(label=_("Begründung"), max_length=500, required=False)
