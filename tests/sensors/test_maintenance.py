# SPDX-License-Identifier: EUPL-1.2
"""Partitions ahead of time, retention per tenant, hourly and daily rollups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from hub.sensors import ingest, maintenance
from hub.sensors.models import SensorNetwork
from hub.tenancy.context import system_context

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def store(stations, tenant: str, key: str, points: list[tuple[dt.datetime, float]]) -> None:
    station = stations[tenant]
    stream = station.streams[key]
    rows = [
        ingest.Row(station.tenant.pk, stream.pk, when, value, None, f"test-{when.isoformat()}")
        for when, value in points
    ]
    with system_context(), connection.cursor() as cursor:
        ingest.write(cursor.cursor, rows)


def partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'sensors_observation'::regclass"
        )
        return {row[0] for row in cursor.fetchall()}


def test_partitions_are_made_months_ahead():
    maintenance.ensure_partitions(dt.datetime(2031, 1, 15, tzinfo=dt.UTC))
    assert {
        "sensors_observation_2030_12",
        "sensors_observation_2031_01",
        "sensors_observation_2031_04",
    } <= partitions()
    assert maintenance.ensure_partitions(dt.datetime(2031, 1, 15, tzinfo=dt.UTC)) == 0


def test_retention_is_per_tenant(stations):
    old, recent = NOW - dt.timedelta(days=40), NOW - dt.timedelta(days=5)
    for tenant in ("haldensleben", "barleben"):
        store(stations, tenant, "co2", [(old, 400.0), (recent, 410.0)])
    with system_context():
        SensorNetwork.objects.filter(tenant=stations["haldensleben"].tenant).update(
            retention_days=30
        )
    assert maintenance.apply_retention(NOW) == 1
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT tenant_id, result FROM sensors_observation ORDER BY tenant_id, result"
        )
        left = cursor.fetchall()
    assert left == sorted(
        [
            (stations["haldensleben"].tenant.pk, 410.0),
            (stations["barleben"].tenant.pk, 400.0),
            (stations["barleben"].tenant.pk, 410.0),
        ]
    )


def test_hourly_and_daily_rollups(stations):
    base = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    store(
        stations,
        "haldensleben",
        "temperature",
        [(base + dt.timedelta(minutes=m), float(m)) for m in range(0, 120, 10)],
    )
    assert maintenance.rollup("hour", base, base + dt.timedelta(hours=2)) == 2
    maintenance.rollup("hour", base, base + dt.timedelta(hours=2))  # again: the same rows
    maintenance.rollup("day", base.replace(hour=0), base.replace(hour=0) + dt.timedelta(days=1))
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, start, count, minimum, maximum, average FROM sensors_rollup"
            " ORDER BY period, start"
        )
        rows = cursor.fetchall()
    assert rows == [
        ("day", base.replace(hour=0), 12, 0.0, 110.0, 55.0),
        ("hour", base, 6, 0.0, 50.0, 25.0),
        ("hour", base + dt.timedelta(hours=1), 6, 60.0, 110.0, 85.0),
    ]
    with pytest.raises(ValueError, match="hour or day"):
        maintenance.rollup("week", base, base)
