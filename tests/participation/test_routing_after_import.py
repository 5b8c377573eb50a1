# SPDX-License-Identifier: EUPL-1.2
"""Routing keeps its answers after `hub boundaries import` of finer boundaries (VG250 shape,
built from the seed data the way tests/tenancy/test_boundaries_import.py builds it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from hub.core.errors import HubError
from hub.participation import services
from hub.tenancy.models import Tenant
from tests.participation.conftest import BERLIN, HALDENSLEBEN, HOHE_BOERDE, post_report
from tests.tenancy.test_boundaries_import import gem  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db


def test_routing_after_a_finer_boundary_import(client, categories, address, gem):  # noqa: F811
    before = Tenant.objects.get(slug="haldensleben").boundary.num_coords
    call_command("boundaries", "import", str(gem))
    finer = Tenant.objects.get(slug="haldensleben")
    assert finer.boundary_scale == 250_000
    assert finer.boundary.num_coords > 3 * before  # really another, finer boundary
    assert services.route(services.point(*HALDENSLEBEN)).slug == "haldensleben"
    assert services.route(services.point(*HOHE_BOERDE)).slug == "hohe-boerde"
    with pytest.raises(HubError, match="outside every municipality"):
        services.route(services.point(*BERLIN))
    # And the same over Open311, as a client sees it.
    inside = post_report(client, address)
    assert inside.status_code == 201
    outside = post_report(client, address, lat=BERLIN[0], long=BERLIN[1])
    assert outside.status_code == 400
    assert "outside every municipality" in outside.json()[0]["description"]
