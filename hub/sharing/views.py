# SPDX-License-Identifier: EUPL-1.2
"""Pages: the sharing stations in a tenant's area (every system the hub reads and the tenant's
own fleets; a list, the map beside it an addition), and for staff the own fleets: stations,
vehicles and their status, which the hub publishes as GBFS 3.0."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.core import access
from hub.core.access import public
from hub.core.errors import HubError, Invalid
from hub.geo import addresses
from hub.portal.services import map_config, mobility_tenant
from hub.sharing import selectors, services
from hub.sharing.models import Fleet, FleetVehicle
from hub.tenancy.permissions import EDITING, page_access

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")


@public
def index(request, slug: str):
    tenant = mobility_tenant(request)
    return render(
        request,
        "sharing/index.html",
        {
            "tenant": tenant,
            "stations": selectors.stations_in(tenant),
            "feeds": selectors.feeds(),
            "fleets": selectors.public_fleets(tenant),
            "map": map_config(tenant),
        },
    )


EDITORS = access.roles(EDITING)


def _flag(request, name: str) -> bool:
    return request.POST.get(name) == "on"


def _number(request, name: str, kind=float):
    value = request.POST.get(name, "").strip().replace(",", ".")
    try:
        return kind(value) if value else None
    except ValueError:
        raise Invalid(f"{name}: {value[:20]!r} ist keine Zahl.", field=name) from None


def _place(request) -> tuple[float, float]:
    lat, lon = _number(request, "lat"), _number(request, "lon")
    if lat is not None and lon is not None:
        return lat, lon
    found = addresses.resolve(request.POST.get("address", "")[:200])
    if found is None:
        raise Invalid(_("Bitte eine Adresse des Registers oder Breite und Länge angeben."))
    return found.point.y, found.point.x


def _post(request, tenant) -> str:
    action = request.POST.get("action", "")
    if action == "fleet":
        system_id = request.POST.get("system_id", "").strip()[:60]
        if not SLUG.match(system_id):
            raise Invalid(
                _("Kennung: Kleinbuchstaben, Ziffern und Bindestriche."), field="system_id"
            )
        Fleet.objects.create(
            tenant=tenant,
            system_id=system_id,
            name=request.POST.get("name", "").strip()[:200],
            operator=request.POST.get("operator", "").strip()[:200] or tenant.display_name,
            email=request.POST.get("email", "").strip()[:200],
        )
        return _("Angebot angelegt.")
    fleet = services.fleet_of(tenant, request.POST.get("fleet", "")[:60])
    if action == "station":
        lat, lon = _place(request)
        services.set_station(
            tenant,
            fleet,
            station_id=request.POST.get("station_id", "").strip()[:60],
            name=request.POST.get("name", "").strip()[:200],
            lat=lat,
            lon=lon,
            capacity=_number(request, "capacity", int) or 0,
            address=request.POST.get("address", "")[:200],
            is_renting=_flag(request, "is_renting"),
            is_returning=_flag(request, "is_returning"),
        )
        return _("Station gespeichert: sie steht ab jetzt im GBFS-Feed.")
    if action == "vehicle":
        services.set_vehicle(
            tenant,
            fleet,
            vehicle_id=request.POST.get("vehicle_id", "").strip()[:60],
            name=request.POST.get("name", "").strip()[:200],
            form_factor=request.POST.get("form_factor", ""),
            propulsion=request.POST.get("propulsion", ""),
            station_id=request.POST.get("station_id", "").strip()[:60],
            is_reserved=_flag(request, "is_reserved"),
            is_disabled=_flag(request, "is_disabled"),
            max_range_m=_number(request, "max_range_m", int),
        )
        return _("Fahrzeug gespeichert.")
    raise Invalid(_("Unbekannte Aktion."))


@page_access(EDITORS, EDITORS)
def manage(request, slug: str):
    tenant = mobility_tenant(request)
    if request.method == "POST":
        try:
            with transaction.atomic():
                done = _post(request, tenant)
            messages.success(request, done)
        except HubError as exc:
            messages.error(request, exc.message)
        except IntegrityError:  # an id twice: said, nothing written
            messages.error(request, _("Diese Kennung gibt es schon."))
        return redirect(reverse("sharing:manage", kwargs={"slug": tenant.slug}))
    return render(
        request,
        "sharing/manage.html",
        {
            "tenant": tenant,
            "fleets": selectors.own_fleets(tenant),
            "forms": FleetVehicle.Form.choices,
            "propulsions": FleetVehicle.Propulsion.choices,
        },
    )
