# SPDX-License-Identifier: EUPL-1.2
"""The BNetzA register extract of ../shared/data (CC BY 4.0, Bundesnetzagentur, 19.07.2019)
imported into the test database, and OCPI partners of the seeded tenants."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from hub.charging import services
from hub.tenancy.context import system_context

REGISTER = Path(settings.HUB_DATA_DIR) / "charging" / "ladesaeulenregister_boerde.csv"
STADTWERKE = "Stadtwerke Haldensleben GmbH"


@pytest.fixture
def register(db):
    report = services.import_register(REGISTER, name=REGISTER.name, progress=False)
    assert report.committed, report.problems
    return report


@pytest.fixture
def invited(seeded):
    """The Stadtwerke Haldensleben invited by the town's staff: (party, registration token)."""
    return services.invite(seeded["haldensleben"], "Stadtwerke Haldensleben", STADTWERKE)


def register_lines() -> list[str]:
    return REGISTER.read_text("utf-8").splitlines()


def fresh(party):
    with system_context():
        return type(party).objects.get(pk=party.pk)
