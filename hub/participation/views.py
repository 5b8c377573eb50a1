# SPDX-License-Identifier: EUPL-1.2
"""The citizen's pages (report, list, report page, own report by token) and the moderation
queue of a tenant's staff. Every page works without JavaScript; the map is an addition."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hub.core import access
from hub.core.errors import HubError
from hub.opendata.selectors import places_in
from hub.participation import services
from hub.participation.forms import ModerationForm, ReportForm
from hub.participation.models import OPEN, PUBLIC, TRANSITIONS, Report, ReportPhoto, Status
from hub.portal.services import map_config
from hub.tenancy.context import system_context, tenant_context
from hub.tenancy.models import Tenant
from hub.tenancy.permissions import MODERATION, page_access

MODERATORS = access.roles(MODERATION)
MODERATION_PAGE = 50


@page_access(access.PUBLIC)
def choose(request):
    """Where to report: the participating municipalities, each with its own form (the map on
    each form, and its address and stop fields, find the place)."""
    tenants = list(services.participating_tenants().prefetch_related(None).order_by("name"))
    return render(request, "participation/choose.html", {"tenants": tenants})


def consent_text() -> str:
    return _(
        "Ich willige ein, dass die Verwaltung meinen Namen und meine E-Mail-Adresse nutzt, um "
        "mir zu dieser Meldung zu antworten. Sie werden nie veröffentlicht und spätestens "
        "%(days)s Tage nach Abschluss gelöscht; ich kann sie jederzeit selbst löschen."
    ) % {"days": settings.HUB_REPORT_ANONYMISE_DAYS}


def _participating(request) -> Tenant:
    tenant = request.tenant
    if services.SERVICE not in (tenant.services or []) or tenant.boundary is None:
        raise Http404(_("Diese Stelle nimmt keine Meldungen entgegen."))
    return tenant


@page_access(access.PUBLIC, access.PUBLIC)
@require_http_methods(["GET", "POST"])
def report_new(request, slug: str):
    tenant = _participating(request)
    stops = sorted(places_in(tenant, "haltestellen"), key=lambda s: s.properties["name"])
    with tenant_context([tenant.pk]):  # the categories are the tenant's rows
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            tenant=tenant,
            stops=stops,
            consent_text=consent_text(),
        )
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            location = services.point(data["lat"], data["lon"])
            target = services.route(location, tenant.slug)
            report = services.submit(
                tenant=target,
                category=data["category"],
                location=location,
                description=data["description"],
                address=data["address"],
                asset_id=data["asset_id"],
                reporter=services.Reporter(
                    name=data["name"],
                    email=data["email"],
                    consent_text=consent_text() if data["consent"] else "",
                ),
                photos=[(f.name, f.read()) for f in data["photos"]],
            )
        except HubError as exc:
            if exc.field in ("lat", "long", "jurisdiction_id"):
                form.add_error(
                    None,
                    _("Der gewählte Ort liegt nicht im Gebiet von %(name)s.")
                    % {"name": tenant.display_name},
                )
            elif exc.field == "media":
                form.add_error("photos", exc.message)
            else:
                form.add_error(None, exc.message)
        else:
            return redirect("participation:mine", token=report.token)
    with tenant_context([tenant.pk]):
        return render(
            request,
            "participation/report_new.html",
            {"tenant": tenant, "form": form, "map": map_config(tenant)},
        )


@page_access(access.PUBLIC)
def report_list(request, slug: str):
    tenant = _participating(request)
    status = request.GET.get("status", "")
    with tenant_context([tenant.pk]):
        reports = (
            Report.objects.filter(tenant=tenant, status__in=PUBLIC)
            .select_related("category")
            .order_by("-created_at")
        )
        if status == "open":
            reports = reports.filter(status__in=OPEN)
        elif status == "closed":
            reports = reports.exclude(status__in=OPEN)
        rows = list(reports[:200])
    return render(
        request,
        "participation/report_list.html",
        {"tenant": tenant, "reports": rows, "status": status},
    )


@page_access(access.PUBLIC)
def report_detail(request, slug: str, pk: int):
    tenant = _participating(request)
    with tenant_context([tenant.pk]):
        report = get_object_or_404(
            Report.objects.select_related("category"), pk=pk, tenant=tenant, status__in=PUBLIC
        )
        events = list(report.events.exclude(to_status=Status.SUBMITTED).order_by("at"))
        photos = list(report.photos.all())
    return render(
        request,
        "participation/report_detail.html",
        {"tenant": tenant, "report": report, "events": events, "photos": photos},
    )


def _report_by_token(token: str) -> Report:
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        raise Http404 from None
    with system_context():
        report = Report.objects.select_related("category", "tenant").filter(token=value).first()
    if report is None:
        raise Http404
    return report


@page_access(access.HOLDER, access.HOLDER, holder_param="token")
@require_http_methods(["GET", "POST"])
def mine(request, token: str):
    """The reporter's own page: follow the report, and delete their personal data."""
    report = _report_by_token(token)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.delete_reporter_data(str(report.token))
        messages.success(request, _("Ihre Angaben wurden gelöscht."))
        return redirect("participation:mine", token=report.token)
    return render(request, "participation/mine.html", {"report": report})


@page_access(MODERATORS, MODERATORS)
@require_http_methods(["GET", "POST"])
def moderation(request, slug: str):
    tenant = _participating(request)
    actor = request.user.get_username()
    if request.method == "POST":
        form = ModerationForm(request.POST)
        with tenant_context([tenant.pk]):
            report = get_object_or_404(Report, pk=request.POST.get("report"), tenant=tenant)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["forward_to"]:
                    services.forward(report, data["forward_to"], actor=actor, note=data["note"])
                else:
                    services.transition(
                        report,
                        Status(data["status"]),
                        actor=actor,
                        note=data["note"],
                        expected_at=data["expected_at"],
                    )
            except HubError as exc:
                messages.error(request, f"#{report.pk}: {exc.message}")
            else:
                messages.success(request, _("Meldung #%(id)s gespeichert.") % {"id": report.pk})
            return redirect("participation:moderation", slug=tenant.slug)
        messages.error(request, _("Bitte die Angaben prüfen."))
    with tenant_context([tenant.pk]):
        # Oldest first, a page at a time: a town may have thousands of open reports.
        pages = Paginator(
            Report.objects.filter(tenant=tenant, status__in=OPEN)
            .select_related("category")
            .prefetch_related("photos")
            .order_by("created_at", "pk"),
            MODERATION_PAGE,
        )
        page = pages.get_page(request.GET.get("seite"))
        queue = list(page.object_list)
    for report in queue:  # only the steps the lifecycle allows from here
        report.next_steps = [
            (status.value, status.label)
            for status in Status
            if status == report.status or status in TRANSITIONS[Status(report.status)]
        ]
    return render(
        request,
        "participation/moderation.html",
        {"tenant": tenant, "queue": queue, "page": page, "form": ModerationForm()},
    )


@page_access(MODERATORS)
def moderation_photo(request, slug: str, pk: int):
    """A photo of a report not yet public, for the tenant's moderators only."""
    tenant = _participating(request)
    with tenant_context([tenant.pk]):
        photo = get_object_or_404(ReportPhoto, pk=pk, tenant=tenant)
        with photo.file.open("rb") as handle:
            data = handle.read()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
