# SPDX-License-Identifier: EUPL-1.2
"""A consultation of a tenant, with its phases, proposals, comments and supports.

Authors are citizen accounts (sign-in through Keycloak): one support per account and proposal
is a database constraint. Deleting an account keeps what it wrote, without the author.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.tenancy.models import TenantOwned


class Phase(models.TextChoices):
    INFORMATION = "information", _("Information")
    PARTICIPATION = "participation", _("Beteiligung")
    EVALUATION = "evaluation", _("Auswertung")
    RESULT = "result", _("Ergebnis")


PHASES = list(Phase)


class Moderation(models.TextChoices):
    PENDING = "pending", _("wartet auf Prüfung")
    PUBLISHED = "published", _("veröffentlicht")
    REJECTED = "rejected", _("abgelehnt")


class Consultation(TenantOwned):
    slug = models.SlugField(_("Kurzname"), max_length=80)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Worum es geht"), max_length=10000)
    area = gis.MultiPolygonField(_("Gebiet"), srid=4326)
    phase = models.CharField(
        _("Phase"), max_length=20, choices=Phase.choices, default=Phase.INFORMATION
    )
    participation_until = models.DateField(_("Beteiligung bis"), null=True, blank=True)
    result = models.TextField(_("Ergebnis"), max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="consultation_slug_unique")
        ]
        verbose_name = _("Beteiligungsverfahren")
        verbose_name_plural = _("Beteiligungsverfahren")

    def __str__(self) -> str:
        return self.title

    @property
    def open_for_contributions(self) -> bool:
        return self.phase == Phase.PARTICIPATION


class Proposal(TenantOwned):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("Titel"), max_length=150)
    text = models.TextField(_("Ihr Vorschlag"), max_length=4000)
    location = gis.PointField(_("Ort"), srid=4326)
    place = models.CharField(_("Ortsangabe"), max_length=200, blank=True)
    state = models.CharField(
        _("Prüfung"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_note = models.CharField(_("Begründung"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["consultation", "state"], name="proposal_state")]
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")

    def __str__(self) -> str:
        return self.title


class Comment(TenantOwned):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("Kommentar"), max_length=2000)
    state = models.CharField(
        _("Prüfung"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")


class Support(TenantOwned):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_account")
        ]
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
