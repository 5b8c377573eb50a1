# SPDX-License-Identifier: EUPL-1.2
"""Samples for the isolation matrix: an operator of the tenant with a Location no register entry
is linked to (so it is on the tenant's review list), named with the marker."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.gis.geos import Point

from hub.charging.models import Location, Party
from hub.core.registry import Sample
from hub.tenancy.context import system_context


def isolation_sample(tenant) -> Sample:
    marker = f"ladepartner-{uuid.uuid4().hex[:10]}"
    with system_context():
        party = Party.objects.create(
            tenant=tenant, name=marker, register_operator=marker, roles=[], token_c_sha256=""
        )
        Location.objects.create(
            party=party,
            country_code="DE",
            party_code=uuid.uuid4().hex[:3].upper(),
            location_id=marker[:36],
            data={"name": marker},
            point=Point(11.41, 52.29, srid=4326),
            last_updated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
    return Sample(
        kwargs={
            "country_code": "DE",
            "party_id": "XXX",
            "location_id": marker[:36],
            "evse_uid": "1",
            "connector_id": "1",
            "kind": "table",
        },
        marker=marker,
    )
