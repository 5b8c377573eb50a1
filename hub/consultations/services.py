# SPDX-License-Identifier: EUPL-1.2
"""What citizens and staff do in a consultation. Every check happens before anything is written;
a refusal is one of the hub's errors (hub.core.errors), naming the field and saying what to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from hub.consultations.models import Comment, Consultation, Moderation, Phase, Proposal, Support
from hub.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from hub.tenancy.models import Tenant

MAX_TITLE, MAX_TEXT, MAX_COMMENT = 150, 4000, 2000
MAX_PROPOSALS_PER_ACCOUNT = 20  # per consultation: enough for anybody, not for a flood
MAX_AREA_VERTICES = 5000


def _text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise Invalid(_("Der Text enthält ein unzulässiges Steuerzeichen."), field=field)
    if required and not text:
        raise Invalid(_("Bitte ausfüllen."), field=field)
    if len(text) > limit:
        raise Invalid(
            _("Höchstens %(limit)s Zeichen (jetzt %(count)s).")
            % {"limit": limit, "count": len(text)},
            field=field,
        )
    return text


def parse_area(raw: str, tenant: Tenant) -> MultiPolygon:
    """A GeoJSON polygon (or multipolygon) in EPSG:4326 inside the tenant's area; empty: all of
    the tenant's area."""
    if not (raw or "").strip():
        if tenant.boundary is None:
            raise Invalid(_("Bitte ein Gebiet angeben."), field="area")
        return tenant.boundary
    try:
        geometry = GEOSGeometry(raw, srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise Invalid(
            _("Das Gebiet ist kein gültiges GeoJSON-Polygon (Längengrad, Breitengrad)."),
            field="area",
        ) from None
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    if not isinstance(geometry, MultiPolygon) or geometry.empty:
        raise Invalid(_("Das Gebiet muss eine Fläche (Polygon) sein."), field="area")
    if geometry.num_coords > MAX_AREA_VERTICES:
        raise Invalid(
            _("Das Gebiet hat zu viele Punkte (höchstens %s).") % MAX_AREA_VERTICES, field="area"
        )
    if not geometry.valid:
        raise Invalid(_("Das Gebiet ist ungültig (%s).") % geometry.valid_reason, field="area")
    if tenant.boundary is not None and not tenant.boundary.intersects(geometry):
        raise Invalid(_("Das Gebiet liegt außerhalb von %s.") % tenant.display_name, field="area")
    return geometry


def open_consultation(
    tenant: Tenant,
    *,
    slug: str,
    title: str,
    summary: str,
    area: MultiPolygon,
    phase: Phase = Phase.INFORMATION,
    participation_until: dt.date | None = None,
) -> Consultation:
    title = _text("title", title, 200)
    summary = _text("summary", summary, 10000)
    if Consultation.objects.filter(tenant=tenant, slug=slug).exists():
        raise Invalid(_("Diesen Kurznamen gibt es schon."), field="slug")
    return Consultation.objects.create(
        tenant=tenant,
        slug=slug,
        title=title,
        summary=summary,
        area=area,
        phase=phase,
        participation_until=participation_until,
    )


def set_phase(consultation: Consultation, phase: Phase, *, result: str = "") -> Consultation:
    consultation.phase = Phase(phase)
    if phase == Phase.RESULT:
        consultation.result = _text("result", result, 20000)
    consultation.save(update_fields=["phase", "result", "updated_at"])
    return consultation


def _participating(consultation: Consultation) -> None:
    if not consultation.open_for_contributions:
        raise Conflict(
            _("Beiträge sind nur in der Phase „Beteiligung“ möglich; jetzt: %s.")
            % consultation.get_phase_display(),
            field="phase",
        )
    until = consultation.participation_until
    if until and dt.date.today() > until:
        raise Conflict(
            _("Die Beteiligung endete am %s.") % until.strftime("%d.%m.%Y"), field="phase"
        )


def _signed_in(user) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthenticated(_("Bitte melden Sie sich an."), field="user")


def propose(
    consultation: Consultation, user, *, title: str, text: str, location: Point, place: str = ""
) -> Proposal:
    _signed_in(user)
    _participating(consultation)
    title = _text("title", title, MAX_TITLE)
    text = _text("text", text, MAX_TEXT)
    place = _text("place", place, 200, required=False)
    if location is None:
        raise Invalid(
            _("Bitte einen Ort wählen: auf der Karte oder in der Liste."), field="location"
        )
    if not consultation.area.intersects(location):
        raise Invalid(_("Der Ort liegt außerhalb des Gebiets dieses Verfahrens."), field="location")
    mine = Proposal.objects.filter(consultation=consultation, author=user).count()
    if mine >= MAX_PROPOSALS_PER_ACCOUNT:
        raise Invalid(
            _("Sie haben schon %s Vorschläge eingereicht; mehr sind nicht möglich.") % mine,
            field="text",
        )
    return Proposal.objects.create(
        tenant=consultation.tenant,
        consultation=consultation,
        author=user,
        title=title,
        text=text,
        location=location,
        place=place,
    )


def _published(proposal: Proposal) -> None:
    if proposal.state != Moderation.PUBLISHED:
        raise NotFound(_("Dieser Vorschlag ist nicht veröffentlicht."), field="proposal")


def comment(proposal: Proposal, user, text: str) -> Comment:
    _signed_in(user)
    _participating(proposal.consultation)
    _published(proposal)
    text = _text("text", text, MAX_COMMENT)
    return Comment.objects.create(tenant=proposal.tenant, proposal=proposal, author=user, text=text)


def support(proposal: Proposal, user) -> bool:
    """Support a proposal; False when this account already supports it (one vote each)."""
    _signed_in(user)
    _participating(proposal.consultation)
    _published(proposal)
    try:
        with transaction.atomic():
            Support.objects.create(tenant=proposal.tenant, proposal=proposal, user=user)
    except IntegrityError:
        return False
    return True


def withdraw_support(proposal: Proposal, user) -> bool:
    _signed_in(user)
    _participating(proposal.consultation)
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    return bool(deleted)


def moderate(item: Proposal | Comment, state: Moderation, *, note: str = "") -> None:
    item.state = Moderation(state)
    fields = ["state"]
    if isinstance(item, Proposal):
        item.moderation_note = _text("note", note, 500, required=False)
        fields.append("moderation_note")
    item.save(update_fields=fields)


@dataclass(frozen=True)
class Summary:
    consultation: Consultation
    proposals: list[Proposal]
    pending: int
    supports: int
    comments: int


def published_proposals(consultation: Consultation):
    """Published proposals, most supported first, with their published comments."""
    return (
        Proposal.objects.filter(consultation=consultation, state=Moderation.PUBLISHED)
        .annotate(support_count=Count("supports", distinct=True))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(state=Moderation.PUBLISHED),
                to_attr="published_comments",
            )
        )
        .order_by("-support_count", "created_at")
    )


def summary(consultation: Consultation) -> Summary:
    proposals = list(published_proposals(consultation))
    return Summary(
        consultation=consultation,
        proposals=proposals,
        pending=Proposal.objects.filter(
            consultation=consultation, state=Moderation.PENDING
        ).count(),
        supports=sum(p.support_count for p in proposals),
        comments=sum(len(p.published_comments) for p in proposals),
    )


def moderation_queue(consultation: Consultation) -> tuple[list[Proposal], list[Comment]]:
    proposals = list(
        Proposal.objects.filter(consultation=consultation, state=Moderation.PENDING).order_by(
            "created_at"
        )
    )
    comments = list(
        Comment.objects.filter(
            Q(proposal__consultation=consultation), state=Moderation.PENDING
        ).select_related("proposal")
    )
    return proposals, comments
