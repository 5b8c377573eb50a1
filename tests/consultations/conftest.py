# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from hub.consultations import services
from hub.consultations.models import Phase
from hub.tenancy.context import system_context
from hub.tenancy.models import Role

# Haldensleben's old town (lon/lat) and points inside and outside it.
AREA = (11.398, 52.283, 11.422, 52.297)
MARKT = (52.2894, 11.4097)  # lat, lon
OUTSIDE = (52.2700, 11.3800)  # in Haldensleben, outside the consultation's area


@pytest.fixture
def consultation(seeded):
    with system_context():
        return services.open_consultation(
            seeded["haldensleben"],
            slug="markt",
            title="Neugestaltung des Marktplatzes",
            summary="Was soll aus dem Marktplatz werden?",
            area=MultiPolygon(Polygon.from_bbox(AREA), srid=4326),
            phase=Phase.PARTICIPATION,
            participation_until=dt.date.today() + dt.timedelta(days=30),
        )


@pytest.fixture
def people(seeded, make_user):
    return {
        "erika": make_user("erika"),
        "max": make_user("max"),
        "moderator": make_user("mod-hdl", (seeded["haldensleben"], Role.MODERATOR)),
        "moderator_elsewhere": make_user("mod-hb", (seeded["hohe-boerde"], Role.MODERATOR)),
    }
