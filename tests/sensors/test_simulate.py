# SPDX-License-Identifier: EUPL-1.2
"""The demo sensor network: created once per seed tenant, plausible readings."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from hub.sensors.management.commands.simulate import KINDS, SITES, reading, setup
from hub.sensors.models import Datastream, Device, SensorNetwork
from hub.tenancy.context import system_context

pytestmark = pytest.mark.django_db


def test_the_demo_network_is_created_once(seeded):
    out = io.StringIO()
    first = setup(out)
    assert len(first) == sum(len(sites) for sites in SITES.values())
    assert out.getvalue().count("webhook secret (shown once)") == len(SITES)
    assert setup(io.StringIO()) == first  # again: nothing new
    with system_context():
        assert Device.objects.count() == len(first)
        assert SensorNetwork.objects.count() == len(SITES)
        expected = sum(len(KINDS[kind][1]) for sites in SITES.values() for kind, *_ in sites)
        assert Datastream.objects.count() == expected
        device = Device.objects.select_related("thing").first()
        assert set(device.mapping.values()) <= set(
            Datastream.objects.filter(thing=device.thing).values_list("pk", flat=True)
        )


def test_readings_follow_the_day():
    night = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)
    noon = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
    assert reading("licht", "x", night)["on"] == 1
    assert reading("licht", "x", noon) == {"power": 0.0, "on": 0}
    assert reading("wlan", "x", night)["visitors"] == 0
    assert reading("wlan", "x", noon)["visitors"] > 10
    air = reading("luft", "x", noon)
    assert 400 <= air["co2"] <= 500
    assert 0 <= air["humidity"] <= 100
    assert reading("energie", "x", noon)["energy"] > reading("energie", "x", night)["energy"]
    assert reading("luft", "x", noon) == air  # the same moment, the same value
