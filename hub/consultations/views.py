# SPDX-License-Identifier: EUPL-1.2
"""The consultation pages. Reading needs no account; proposing, commenting and supporting need
a citizen account (one support per account). Every page works without JavaScript: the map is
an addition to the lists, the place list and the printable summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Point
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.consultations import services
from hub.consultations.forms import (
    CommentForm,
    ConsultationForm,
    ModerateForm,
    PhaseForm,
    ProposalForm,
)
from hub.consultations.models import PHASES, Comment, Consultation, Moderation, Phase, Proposal
from hub.core import access
from hub.core.errors import HubError, Invalid
from hub.opendata.selectors import places_in
from hub.portal.services import map_config
from hub.tenancy.context import tenant_context
from hub.tenancy.permissions import MODERATION, may, page_access

STAFF = access.roles(MODERATION)


def _is_staff(request, tenant) -> bool:
    return may(request.user, tenant, MODERATION)


def _consultation(request, slug: str, consultation: str) -> Consultation:
    tenant = request.tenant
    with tenant_context([tenant.pk]):
        return get_object_or_404(Consultation, tenant=tenant, slug=consultation)


def _stops(consultation: Consultation):
    area = consultation.area.prepared
    found = [
        s
        for s in places_in(consultation.tenant, "haltestellen")
        if area.contains(Point(s.lon, s.lat, srid=4326))
    ]
    return sorted(found, key=lambda s: s.properties["name"])


@page_access(access.PUBLIC)
@require_GET
def consultation_list(request, slug: str):
    tenant = request.tenant
    with tenant_context([tenant.pk]):
        items = list(Consultation.objects.filter(tenant=tenant))
    return render(
        request,
        "consultations/list.html",
        {"tenant": tenant, "consultations": items, "staff": _is_staff(request, tenant)},
    )


@page_access(STAFF, STAFF)
@require_http_methods(["GET", "POST"])
def consultation_new(request, slug: str):
    tenant = request.tenant
    form = ConsultationForm(request.POST or None, initial={"phase": Phase.INFORMATION})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with tenant_context([tenant.pk]):
            try:
                made = services.open_consultation(
                    tenant,
                    slug=data["slug"],
                    title=data["title"],
                    summary=data["summary"],
                    area=services.parse_area(data["area"], tenant),
                    phase=Phase(data["phase"]),
                    participation_until=data["participation_until"],
                )
            except HubError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Das Verfahren ist angelegt."))
                return redirect("consultations:detail", slug=tenant.slug, consultation=made.slug)
    return render(
        request,
        "consultations/new.html",
        {"tenant": tenant, "form": form, "map": map_config(tenant)},
        status=400 if form.errors else 200,
    )


@page_access(access.PUBLIC)
@require_GET
def consultation_detail(request, slug: str, consultation: str):
    item = _consultation(request, slug, consultation)
    with tenant_context([item.tenant_id]):
        proposals = list(services.published_proposals(item))
        mine = set()
        if request.user.is_authenticated:
            mine = set(
                item.proposals.filter(supports__user=request.user).values_list("pk", flat=True)
            )
    return render(
        request,
        "consultations/detail.html",
        {
            "tenant": item.tenant,
            "consultation": item,
            "phases": PHASES,
            "proposals": proposals,
            "supported": mine,
            "staff": _is_staff(request, item.tenant),
            "map": map_config(item.tenant),
        },
    )


@page_access(access.PUBLIC)
@require_GET
def proposals_geojson(request, slug: str, consultation: str):
    """The area and the published proposals for the page's map (no authors)."""
    item = _consultation(request, slug, consultation)
    with tenant_context([item.tenant_id]):
        proposals = list(services.published_proposals(item))
    features = [
        {
            "type": "Feature",
            "id": "gebiet",
            "geometry": _geojson(item.area),
            "properties": {"kind": "area", "title": item.title},
        }
    ] + [
        {
            "type": "Feature",
            "id": p.pk,
            "geometry": _geojson(p.location),
            "properties": {
                "kind": "proposal",
                "title": p.title,
                "supports": p.support_count,
                "url": reverse(
                    "consultations:proposal",
                    kwargs={"slug": item.tenant.slug, "consultation": item.slug, "pk": p.pk},
                ),
            },
        }
        for p in proposals
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _geojson(geometry) -> dict:
    import json

    return json.loads(geometry.geojson)


@page_access(access.SIGNED_IN, access.SIGNED_IN)
@require_http_methods(["GET", "POST"])
def propose(request, slug: str, consultation: str):
    item = _consultation(request, slug, consultation)
    stops = _stops(item)
    form = ProposalForm(request.POST or None, stops=stops)
    status = 200
    if not item.open_for_contributions:
        messages.info(request, _("In dieser Phase sind keine neuen Vorschläge möglich."))
        return redirect("consultations:detail", slug=item.tenant.slug, consultation=item.slug)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with tenant_context([item.tenant_id]):
                try:
                    services.propose(
                        item,
                        request.user,
                        title=data["title"],
                        text=data["text"],
                        location=Point(data["lon"], data["lat"], srid=4326),
                        place=data["place"],
                    )
                except HubError as exc:
                    field = exc.field if exc.field in form.fields else None
                    if exc.field == "location":
                        field = "near_stop"
                    form.add_error(field, exc.message)
                    status = exc.status
                else:
                    messages.success(
                        request,
                        _(
                            "Danke! Ihr Vorschlag wird geprüft und danach veröffentlicht "
                            "(ohne Ihren Namen)."
                        ),
                    )
                    return redirect(
                        "consultations:detail", slug=item.tenant.slug, consultation=item.slug
                    )
    return render(
        request,
        "consultations/propose.html",
        {"tenant": item.tenant, "consultation": item, "form": form, "map": map_config(item.tenant)},
        status=status,
    )


def _proposal(item: Consultation, pk: int) -> Proposal:
    with tenant_context([item.tenant_id]):
        found = services.published_proposals(item).filter(pk=pk).first()
    if found is None:
        raise Http404(_("Diesen Vorschlag gibt es nicht oder er ist nicht veröffentlicht."))
    return found


@page_access(access.PUBLIC)
@require_GET
def proposal_detail(request, slug: str, consultation: str, pk: int):
    item = _consultation(request, slug, consultation)
    proposal = _proposal(item, pk)
    supported = False
    if request.user.is_authenticated:
        with tenant_context([item.tenant_id]):
            supported = proposal.supports.filter(user=request.user).exists()
    return render(
        request,
        "consultations/proposal.html",
        {
            "tenant": item.tenant,
            "consultation": item,
            "proposal": proposal,
            "supported": supported,
            "form": CommentForm(),
        },
    )


def _on_proposal(request, slug: str, consultation: str, pk: int, action) -> HttpResponse:
    """A signed-in citizen's action on a published proposal; back to its page, with a message."""
    item = _consultation(request, slug, consultation)
    proposal = _proposal(item, pk)
    back = reverse(
        "consultations:proposal", kwargs={"slug": slug, "consultation": item.slug, "pk": pk}
    )
    if not request.user.is_authenticated:
        return redirect_to_login(back, reverse("oidc_authentication_init"))
    try:
        with tenant_context([item.tenant_id]):
            action(proposal)
    except HubError as exc:
        messages.error(request, exc.message)
    return redirect(back)


# Declared, and checked in _on_proposal: a visitor is sent to sign in and back to the proposal.
@access.declare(None, access.SIGNED_IN)
@require_POST
def proposal_support(request, slug: str, consultation: str, pk: int):
    def act(proposal: Proposal) -> None:
        if request.POST.get("withdraw"):
            services.withdraw_support(proposal, request.user)
            messages.success(request, _("Sie unterstützen diesen Vorschlag nicht mehr."))
        elif services.support(proposal, request.user):
            messages.success(request, _("Danke für Ihre Unterstützung."))
        else:
            messages.info(request, _("Sie unterstützen diesen Vorschlag bereits."))

    return _on_proposal(request, slug, consultation, pk, act)


@access.declare(None, access.SIGNED_IN)
@require_POST
def proposal_comment(request, slug: str, consultation: str, pk: int):
    def act(proposal: Proposal) -> None:
        form = CommentForm(request.POST)
        if not form.is_valid():
            text = " ".join(e for errors in form.errors.values() for e in errors)
            raise Invalid(text, field="text")
        services.comment(proposal, request.user, form.cleaned_data["text"])
        messages.success(request, _("Danke! Ihr Kommentar wird geprüft und dann veröffentlicht."))

    return _on_proposal(request, slug, consultation, pk, act)


@page_access(access.PUBLIC)
@require_GET
def consultation_summary(request, slug: str, consultation: str):
    item = _consultation(request, slug, consultation)
    with tenant_context([item.tenant_id]):
        result = services.summary(item)
    return render(
        request,
        "consultations/summary.html",
        {"tenant": item.tenant, "consultation": item, "summary": result, "phases": PHASES},
    )


@page_access(STAFF, STAFF)
@require_http_methods(["GET", "POST"])
def consultation_moderation(request, slug: str, consultation: str):
    item = _consultation(request, slug, consultation)
    back = reverse("consultations:moderation", kwargs={"slug": slug, "consultation": item.slug})
    if request.method == "POST":
        with tenant_context([item.tenant_id]):
            if "phase" in request.POST:
                form = PhaseForm(request.POST)
                if form.is_valid():
                    try:
                        services.set_phase(
                            item,
                            Phase(form.cleaned_data["phase"]),
                            result=form.cleaned_data["result"],
                        )
                        messages.success(request, _("Phase gespeichert."))
                    except HubError as exc:
                        messages.error(request, exc.message)
                else:
                    messages.error(request, _("Bitte die Angaben prüfen."))
            else:
                form = ModerateForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    model = Proposal if data["kind"] == "proposal" else Comment
                    scope = (
                        {"consultation": item}
                        if model is Proposal
                        else {"proposal__consultation": item}
                    )
                    target = get_object_or_404(model, pk=data["item"], **scope)
                    services.moderate(target, Moderation(data["state"]), note=data["note"])
                    messages.success(request, _("Gespeichert."))
                else:
                    messages.error(request, _("Bitte die Angaben prüfen."))
        return redirect(back)
    with tenant_context([item.tenant_id]):
        proposals, comments = services.moderation_queue(item)
    return render(
        request,
        "consultations/moderation.html",
        {
            "tenant": item.tenant,
            "consultation": item,
            "proposals": proposals,
            "comments": comments,
            "phase_form": PhaseForm(initial={"phase": item.phase, "result": item.result}),
        },
    )
