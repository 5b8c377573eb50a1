# SPDX-License-Identifier: EUPL-1.2
"""Pages of the mobility centre: the tenant's stations (a list, no map needed), the
departure board of a station, which refreshes itself without JavaScript and has a full-screen
display mode for a screen at the bus station or the town hall (`?anzeige=1`), and the journey
planner (a plain form: stops, addresses or geo: points typed in, no map needed)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.core import guard
from hub.core.access import public
from hub.core.errors import HubError
from hub.mobility import selectors
from hub.mobility.api import board
from hub.mobility.journeys import planner

REFRESH_SECONDS = 60


def _tenant(request):
    tenant = request.tenant
    if "mobility" not in (tenant.services or []):
        raise Http404(_("Dieser Mandant bietet keine Mobilitätsauskunft im Datenhub an."))
    return tenant


@public
def index(request, slug: str):
    tenant = _tenant(request)
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
    if query:
        rows = [r for r in rows if query.casefold() in r["name"].casefold()]
    return render(
        request,
        "mobility/index.html",
        {
            "tenant": tenant,
            "stations": rows,
            "query": query,
            "service_end": selectors.service_end(),
            "feeds": selectors.live_versions().order_by("feed__slug"),
        },
    )


@public
def board_page(request, slug: str, stop: str):
    tenant = _tenant(request)
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
            "live": not at,
            "refresh": REFRESH_SECONDS if not at else None,
        },
    )


@public
def journey_page(request, slug: str):
    tenant = _tenant(request)
    asked = {k: request.GET.get(k, "").strip()[:200] for k in ("von", "nach", "zeit", "art")}
    plan, error, status = None, "", 200
    if asked["von"] or asked["nach"]:
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
