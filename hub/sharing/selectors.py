# SPDX-License-Identifier: EUPL-1.2
"""Reads of the sharing app: what the feeds say inside a tenant's area, and its own fleets."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from hub.sharing.models import Feed, Fleet, FleetStation, FleetVehicle, Station
from hub.tenancy.context import system_context

RENTABLE = Q(vehicles__is_reserved=False, vehicles__is_disabled=False)


def feeds():
    return Feed.objects.all()


def stations_in(tenant) -> list[Station]:
    if tenant.boundary is None:
        return []
    return list(
        Station.objects.filter(point__within=tenant.boundary)
        .select_related("feed")
        .order_by("feed__name", "name")
    )


def public_fleets(tenant) -> list[Fleet]:
    """The tenant's own fleets with their stations and how many vehicles can be rented."""
    with system_context():
        stations = FleetStation.objects.annotate(available=Count("vehicles", filter=RENTABLE))
        return list(
            Fleet.objects.filter(tenant=tenant).prefetch_related(
                Prefetch("stations", queryset=stations.order_by("name"))
            )
        )


def own_fleets(tenant) -> list[Fleet]:
    """For staff (in the tenant's context): fleets with stations and every vehicle."""
    return list(
        Fleet.objects.filter(tenant=tenant).prefetch_related(
            Prefetch(
                "stations",
                queryset=FleetStation.objects.annotate(
                    available=Count("vehicles", filter=RENTABLE)
                ).order_by("name"),
            ),
            Prefetch("vehicles", queryset=FleetVehicle.objects.select_related("station")),
        )
    )
