# SPDX-License-Identifier: EUPL-1.2
"""Pages: a tenant's chargers with their live status, as a list (the map beside it is an
addition) and for staff the review of operators' Locations without a register entry."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.charging import selectors, services
from hub.core import access
from hub.core.access import public
from hub.core.errors import HubError
from hub.portal.services import map_config, mobility_tenant
from hub.tenancy.permissions import EDITING, page_access


@public
def index(request, slug: str):
    tenant = mobility_tenant(request)
    shown = selectors.shown(tenant)
    return render(
        request,
        "charging/index.html",
        {
            "tenant": tenant,
            "shown": shown,
            "live": sum(1 for item in shown if item.live.known),
            "map": map_config(tenant),
        },
    )


EDITORS = access.roles(EDITING)


@page_access(EDITORS, EDITORS)
def review_page(request, slug: str):
    """Staff link an operator's Location to the register entries it is (or mark it as one the
    register does not have yet)."""
    tenant = mobility_tenant(request)
    if request.method == "POST":
        try:
            location = int(request.POST.get("location", "0") or 0)
            keys = [k[:64] for k in request.POST.getlist("stations")][:20]
            if request.POST.get("none") == "1":
                keys = []
            linked = services.assign(tenant, location, keys)
            if linked:
                messages.success(
                    request, _("Zugeordnet: der Live-Status steht ab jetzt bei der Ladesäule.")
                )
            else:
                messages.success(request, _("Vermerkt: diese Ladesäule fehlt im Register."))
        except (HubError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Bitte die Angaben prüfen.")))
        return redirect(reverse("charging:review", kwargs={"slug": tenant.slug}))
    return render(
        request,
        "charging/review.html",
        {"tenant": tenant, "reviews": selectors.review(tenant)},
    )
