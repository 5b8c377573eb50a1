# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.geo.forms import PlaceMixin
from hub.participation.models import Category, Status
from hub.participation.photos import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's recipe): a list of uploaded files, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(PlaceMixin, forms.Form):
    """The citizen's report. The place comes from the map (lat/lon, filled by a click), or,
    without a map, from the list of bus stops of the municipality ("near the stop …")."""

    category = forms.ModelChoiceField(
        label=_("Worum geht es?"), queryset=Category.objects.none(), empty_label=None
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Was ist los, und wo genau? Bitte keine Namen anderer Personen."),
    )
    lat = forms.FloatField(label=_("Breitengrad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Längengrad"), required=False, min_value=-180, max_value=180)
    near_stop = forms.ChoiceField(label=_("… oder in der Nähe der Haltestelle"), required=False)
    address = forms.CharField(
        label=_("Adresse oder Ortsbeschreibung"), max_length=300, required=False
    )
    asset_id = forms.CharField(
        label=_("Anlagennummer (z. B. Nummer am Laternenmast)"), max_length=60, required=False
    )
    photos = MultipleFileField(
        label=_("Fotos (höchstens drei, je bis 8 MB)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        required=False,
    )
    name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig, für Rückmeldungen)"), required=False
    )
    consent = forms.BooleanField(label="", required=False)

    def __init__(self, *args, tenant, stops, consent_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(tenant=tenant, is_active=True)
        self.init_stops(stops)
        self.fields["consent"].label = consent_text

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Höchstens drei Fotos."))
        return files

    def clean(self):
        data = self.locate(super().clean())
        if (data.get("name") or data.get("email")) and not data.get("consent"):
            self.add_error(
                "consent", _("Für Name oder E-Mail-Adresse brauchen wir Ihre Einwilligung.")
            )
        return data


class ModerationForm(forms.Form):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Hinweis für die Öffentlichkeit"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_at = forms.DateField(
        label=_("voraussichtlich erledigt am"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    forward_to = forms.CharField(
        label=_("Weiterleiten an (statt Status)"), max_length=200, required=False
    )
