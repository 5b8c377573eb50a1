# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import uuid

import pytest

from hub.participation import services

# Points well inside the (coarse, VG5000) seed boundaries.
HALDENSLEBEN = (52.2894, 11.4097)  # Marktplatz
HOHE_BOERDE = (52.1667, 11.4833)  # Irxleben
BERLIN = (52.5163, 13.3777)  # outside the region


@pytest.fixture
def categories(seeded):
    for tenant in services.participating_tenants():
        services.ensure_default_categories(tenant)
    return seeded


@pytest.fixture
def address():
    """A client address of its own for each test, so rate-limit windows do not collide."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def post_report(client, address, fmt="json", **fields):
    """An Open311 POST of a dumping report in Haldensleben; `fields` add to or override it."""
    body = {
        "service_code": "muell",
        "lat": HALDENSLEBEN[0],
        "long": HALDENSLEBEN[1],
        "description": "Sperrmüll am Waldrand",
        **fields,
    }
    return client.post(f"/open311/v2/requests.{fmt}", body, REMOTE_ADDR=address)
