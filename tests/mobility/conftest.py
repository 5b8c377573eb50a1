# SPDX-License-Identifier: EUPL-1.2
"""The region's real feeds (../shared/data/gtfs, CC BY 4.0 NASA GmbH), imported into the test
database. Dates are pinned inside their service period (Börde ends 2026-12-31), never today."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from hub.mobility import registry, services

GTFS = Path(settings.HUB_DATA_DIR) / "gtfs"
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = dt.date(2026, 12, 8)  # a school-term weekday inside both feeds' service
ZOB = "de:15083:1555"  # Haldensleben, ZOB (platforms 1-8)


def feed_bytes(name: str) -> bytes:
    return (GTFS / name).read_bytes()


def altered(name: str, changes: dict[str, bytes | None]) -> bytes:
    """The feed with files replaced (bytes) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(GTFS / name) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            if member in changes:
                if changes[member] is not None:
                    target.writestr(member, changes[member])
                continue
            target.writestr(member, source.read(member))
        for member, data in changes.items():
            if member not in source.namelist() and data is not None:
                target.writestr(member, data)
    return out.getvalue()


@pytest.fixture
def feeds(db):
    return {f.slug: f for f in registry.apply(registry.read())}


@pytest.fixture
def boerde(feeds):
    outcome = services.import_feed(feeds["boerdebus"], feed_bytes("boerdebus.zip"), progress=False)
    return outcome.version
