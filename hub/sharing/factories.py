# SPDX-License-Identifier: EUPL-1.2
"""Samples for the isolation matrix: a fleet of the tenant with a station and a vehicle that is
out of service (not published), each named with the marker."""

from __future__ import annotations

import uuid

from django.contrib.gis.geos import Point

from hub.core.registry import Sample
from hub.sharing.models import Fleet, FleetStation, FleetVehicle
from hub.tenancy.context import system_context


def isolation_sample(tenant) -> Sample:
    marker = f"flotte-{uuid.uuid4().hex[:10]}"
    with system_context():
        # The fleet and its station are public (GBFS); the marker is on what is not: a
        # vehicle out of service, which no feed lists, and its name.
        fleet = Fleet.objects.create(
            tenant=tenant,
            system_id=f"probe-{uuid.uuid4().hex[:8]}",
            name="Probeflotte",
            operator="Probe",
            email="probe@example.org",
        )
        point = tenant.boundary.point_on_surface if tenant.boundary else Point(11.4, 52.3)
        station = FleetStation.objects.create(
            tenant=tenant, fleet=fleet, station_id="s1", name="Station", point=point, capacity=4
        )
        FleetVehicle.objects.create(
            tenant=tenant,
            fleet=fleet,
            vehicle_id=marker,
            name=marker,
            form_factor="cargo_bicycle",
            propulsion="human",
            station=station,
            is_disabled=True,
        )
    return Sample(kwargs={"system_id": "gibt-es-nicht", "name": "vehicle_status"}, marker=marker)
