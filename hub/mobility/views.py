# SPDX-License-Identifier: EUPL-1.2
"""Pages of the mobility centre: the tenant's stations (a list; the network map beside it is
an addition, never the only way), departures near a place, the departure board of a station,
which keeps itself current (a script the reader can pause; without script a link reloads it)
and has a full-screen display mode for a screen at the bus station or the town hall
(`?anzeige=1`, refreshed by the page itself: nobody works it), and the journey planner (a plain
form: stops, addresses or geo: points typed in, no map needed)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import access, guard
from hub.core.access import public
from hub.core.errors import HubError
from hub.mobility import api, selectors, services
from hub.mobility.api import board, line_out
from hub.mobility.journeys import planner
from hub.mobility.models import StopAccess
from hub.portal.services import map_config, mobility_tenant
from hub.tenancy.permissions import EDITING, page_access

REFRESH_SECONDS = 60


@public
def index(request, slug: str):
    tenant = mobility_tenant(request)
    query = request.GET.get("q", "").strip()[:80]
    guard.refuse_nul(request.GET, "the search")
    stations: dict[str, dict] = {}
    for stop in selectors.stops_in(tenant):
        entry = stations.setdefault(stop.station, {"key": stop.station, "names": set()})
        entry["names"].add(stop.name)
    rows = sorted(
        (
            {"key": k, "name": min(v["names"], key=lambda n: (len(n), n))}
            for k, v in stations.items()
        ),
        key=lambda r: r["name"],
    )
    network = bool(rows)
    if query:
        rows = [r for r in rows if query.casefold() in r["name"].casefold()]
    return render(
        request,
        "mobility/index.html",
        {
            "tenant": tenant,
            "stations": rows,
            "query": query,
            "network": network,
            "near_sample": _sample(tenant),
            "map": map_config(tenant),
            "service_end": selectors.service_end(),
            "feeds": selectors.live_versions().order_by("feed__slug"),
        },
    )


def _sample(tenant) -> str:
    """A point inside the tenant's area as geo:lat,lon: the API example on its page."""
    if tenant.boundary is None:
        return ""
    inside = tenant.boundary.point_on_surface
    return f"geo:{inside.y:.4f},{inside.x:.4f}"


@public
def board_page(request, slug: str, stop: str):
    tenant = mobility_tenant(request)
    guard.refuse_nul(request.GET, "the query")
    at = request.GET.get("ab", "")
    start = guard.parse_datetime(at, "ab") if at else timezone.now()
    shown = board(stop[:100], start, 20)
    display = request.GET.get("anzeige") == "1"
    return render(
        request,
        "mobility/board_display.html" if display else "mobility/board.html",
        {
            "tenant": tenant,
            "board": shown,
            "lines": selectors.lines_at(shown.stop_ids) if not display else [],
            "live": not at,
            "refresh": REFRESH_SECONDS if not at else None,
        },
    )


@public
def nearby_page(request, slug: str):
    """Departures near me: the nearest stations to an address, a stop or a point (a phone's
    position, put into the form by a script; typed in, it works without one)."""
    tenant = mobility_tenant(request)
    ort = request.GET.get("ort", "").strip()[:200]
    shown, error, status = None, "", 200
    if ort:
        try:
            guard.refuse_nul(request.GET, "the query")
            where = api.near_place(ort)
            shown = api.nearby(
                where, timezone.now(), radius=api.NEAR_RADIUS, stations=api.NEAR_STATIONS, limit=5
            )
        except HubError as exc:
            error, status = exc.message, exc.status
    return render(
        request,
        "mobility/nearby.html",
        {"tenant": tenant, "ort": ort, "nearby": shown, "error": error},
        status=status,
    )


@public
def journey_page(request, slug: str):
    tenant = mobility_tenant(request)
    asked = {k: request.GET.get(k, "").strip()[:200] for k in ("von", "nach", "zeit", "art")}
    plan, error, status = None, "", 200
    if asked["von"] and asked["nach"]:  # one of them alone: the form, filled in
        try:
            guard.refuse_nul(request.GET, "the query")
            at = guard.parse_datetime(asked["zeit"], "zeit") if asked["zeit"] else None
            plan = planner.plan(
                asked["von"], asked["nach"], at, arrive_by=asked["art"] == "ankunft"
            )
        except HubError as exc:
            error, status = exc.message, exc.status
    return render(
        request,
        "mobility/journey.html",
        {"tenant": tenant, "asked": asked, "plan": plan, "error": error},
        status=status,
    )


@public
def lines_page(request, slug: str):
    tenant = mobility_tenant(request)
    return render(
        request,
        "mobility/lines.html",
        {"tenant": tenant, "lines": list(selectors.lines_in(tenant))},
    )


@public
def line_page(request, slug: str, feed: str, route: str):
    tenant = mobility_tenant(request)
    return render(
        request,
        "mobility/line.html",
        {"tenant": tenant, "line": line_out(feed[:60], route[:100])},
    )


EDITORS = access.roles(EDITING)


@page_access(EDITORS, EDITORS)
def accessibility_page(request, slug: str):
    """Staff record per stop whether it can be reached without steps; a station at a time."""
    tenant = mobility_tenant(request)
    key = request.GET.get("station", "").strip()[:100]
    if request.method == "POST":
        try:
            services.set_accessibility(
                tenant,
                request.POST.get("stop_id", "")[:100],
                int(request.POST.get("wheelchair", "-1") or -1),
                request.POST.get("note", ""),
            )
            messages.success(request, _("Gespeichert: der Regionalfahrplan enthält es ab jetzt."))
        except (HubError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Bitte die Angaben prüfen.")))
        back = reverse("mobility:accessibility", kwargs={"slug": tenant.slug})
        return redirect(f"{back}?station={request.POST.get('station', '')[:100]}")
    stops = selectors.stops_in(tenant)
    if key:
        platforms = list(stops.filter(station=key).order_by("stop_id"))
        known = {
            a.stop_id: a
            for a in StopAccess.objects.filter(stop_id__in=[p.stop_id for p in platforms])
        }
        rows = [(p, known.get(p.stop_id)) for p in platforms]
    else:
        rows = []
    stations = sorted({(s.station, s.name) for s in stops}, key=lambda r: r[1]) if not key else []
    return render(
        request,
        "mobility/accessibility.html",
        {
            "tenant": tenant,
            "station": key,
            "rows": rows,
            "stations": stations,
            "choices": StopAccess.Wheelchair.choices,
        },
    )
