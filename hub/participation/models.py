# SPDX-License-Identifier: EUPL-1.2
"""Citizen reports ("Mängelmelder") and their categories, per tenant.

A report is routed to the tenant whose area contains its point, moderated before anyone sees
it, and anonymised a configurable time after it is closed. Reporter data sits in its own
columns so that anonymisation and deletion can empty them without touching the rest.
"""

from __future__ import annotations

import uuid

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.tenancy.models import TenantOwned


class RegionalCategory(models.Model):
    """The one regional catalogue every tenant's categories map onto (comparable statistics)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    name_en = models.CharField(_("Name (englisch)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regionale Kategorie")
        verbose_name_plural = _("regionale Kategorien")

    def __str__(self) -> str:
        return self.name


class Category(TenantOwned):
    """What a tenant accepts reports about: an Open311 service (service_code = code)."""

    code = models.SlugField(_("Kennung"), max_length=60)
    name = models.CharField(_("Name"), max_length=100)
    description = models.CharField(_("Beschreibung"), max_length=300, blank=True)
    regional = models.ForeignKey(
        RegionalCategory, on_delete=models.PROTECT, verbose_name=_("regionale Kategorie")
    )
    group = models.CharField(_("Gruppe"), max_length=60, blank=True)
    keywords = models.CharField(_("Stichwörter"), max_length=200, blank=True)
    # Reports of this category name an asset (a street light's number) instead of, or as well
    # as, a point; Open311 shows it as an attribute of the service.
    asks_asset_id = models.BooleanField(_("fragt Anlagennummer"), default=False)
    department_email = models.EmailField(_("E-Mail der zuständigen Stelle"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["tenant", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="category_code_per_tenant")
        ]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("eingegangen")
    REVIEWED = "reviewed", _("geprüft")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    FIXED = "fixed", _("erledigt")
    NOT_RESPONSIBLE = "not_responsible", _("nicht zuständig")
    DUPLICATE = "duplicate", _("Doppelmeldung")
    CLOSED = "closed", _("geschlossen ohne Behebung")


OPEN = (Status.SUBMITTED, Status.REVIEWED, Status.IN_PROGRESS)
PUBLIC = (
    Status.REVIEWED,
    Status.IN_PROGRESS,
    Status.FIXED,
    Status.NOT_RESPONSIBLE,
    Status.DUPLICATE,
    Status.CLOSED,
)
# Which status may follow which (staff actions); anything else is refused.
TRANSITIONS = {
    Status.SUBMITTED: {Status.REVIEWED, Status.DUPLICATE, Status.NOT_RESPONSIBLE, Status.CLOSED},
    Status.REVIEWED: {
        Status.IN_PROGRESS,
        Status.FIXED,
        Status.NOT_RESPONSIBLE,
        Status.DUPLICATE,
        Status.CLOSED,
    },
    Status.IN_PROGRESS: {Status.FIXED, Status.NOT_RESPONSIBLE, Status.DUPLICATE, Status.CLOSED},
    Status.FIXED: {Status.IN_PROGRESS},
    Status.NOT_RESPONSIBLE: {Status.IN_PROGRESS},
    Status.DUPLICATE: set(),
    Status.CLOSED: {Status.IN_PROGRESS},
}


class Report(TenantOwned):
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("Kategorie"))
    description = models.TextField(_("Beschreibung"), max_length=4000)
    location = gis.PointField(_("Ort"), srid=4326)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    asset_id = models.CharField(_("Anlagennummer"), max_length=60, blank=True)
    # Personal data: never public, emptied by anonymisation and on the reporter's request.
    reporter_name = models.CharField(_("Name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("E-Mail"), blank=True)
    reporter_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    consent_text = models.TextField(_("Einwilligungstext"), blank=True)
    # The secret that lets a reporter follow and delete their report (Open311 token).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=20, default="web")
    api_client = models.CharField(max_length=100, blank=True)
    status_notes = models.TextField(_("Hinweis zum Status"), max_length=2000, blank=True)
    expected_at = models.DateField(_("voraussichtlich erledigt am"), null=True, blank=True)
    forwarded_to = models.CharField(_("weitergeleitet an"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["tenant", "status", "updated_at"], name="report_tenant_status"),
        ]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC


class ReportEvent(TenantOwned):
    """The audit log of a report: every status change, forward, merge, anonymisation."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("Ereignis einer Meldung")
        verbose_name_plural = _("Ereignisse einer Meldung")

    @property
    def to_status_label(self) -> str:
        """The status reached, as people read it ("geprüft", not "reviewed")."""
        if self.to_status in Status.values:
            return str(Status(self.to_status).label)
        return self.to_status


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.tenant_id}/{uuid.uuid4().hex}.jpg"


class ReportPhoto(TenantOwned):
    """A photo of a report, cleaned (photos.py): re-encoded JPEG without any metadata."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
