# SPDX-License-Identifier: EUPL-1.2
"""Keeping the observation table in shape: partitions ahead of time, retention per tenant,
hourly and daily rollups. Run by Celery beat (hub.sensors.tasks) and `hub sensors …`."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from hub.sensors.models import SensorNetwork
from hub.tenancy.context import system_context

MONTHS_AHEAD = 3


def ensure_partitions(now: dt.datetime | None = None) -> int:
    """Monthly partitions from last month to MONTHS_AHEAD ahead; returns how many were made."""
    now = now or dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sensors_ensure_partitions(%s, 1, %s)", [now, MONTHS_AHEAD])
        return cursor.fetchone()[0]


def apply_retention(now: dt.datetime | None = None) -> int:
    """Delete each tenant's observations older than its retention; returns rows deleted.

    Whole partitions older than every tenant's retention are dropped instead of emptied."""
    now = now or dt.datetime.now(dt.UTC)
    deleted = 0
    with system_context(), transaction.atomic(), connection.cursor() as cursor:
        networks = list(SensorNetwork.objects.values_list("tenant_id", "retention_days"))
        for tenant_id, days in networks:
            cursor.execute(
                "DELETE FROM sensors_observation WHERE tenant_id = %s AND phenomenon_time < %s",
                [tenant_id, now - dt.timedelta(days=days)],
            )
            deleted += cursor.rowcount
        cursor.execute(
            "DELETE FROM sensors_rollup r WHERE NOT EXISTS"
            " (SELECT FROM sensors_datastream d WHERE d.id = r.datastream_id)"
        )
        longest = max((days for _t, days in networks), default=None)
        if longest is not None:
            horizon = now - dt.timedelta(days=longest)
            cursor.execute(
                "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                " JOIN pg_class c ON c.oid = i.inhrelid"
                " WHERE i.inhparent = 'sensors_observation'::regclass"
            )
            for name, bound in cursor.fetchall():
                # FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')
                upper = bound.split("TO ('")[1].split("'")[0]
                if dt.datetime.fromisoformat(upper) <= horizon:
                    cursor.execute(f'DROP TABLE "{name}"')
    return deleted


def rollup(period: str, since: dt.datetime, until: dt.datetime) -> int:
    """Count, minimum, maximum and mean per datastream and hour (or day) between two times;
    recomputed idempotently. Returns the rows written."""
    if period not in ("hour", "day"):
        raise ValueError("period is hour or day")
    with system_context(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sensors_rollup (datastream_id, tenant_id, period, start, count, minimum,"
            " maximum, average)"
            " SELECT datastream_id, min(tenant_id), %s, date_trunc(%s, phenomenon_time, 'UTC'),"
            " count(*), min(result), max(result), avg(result) FROM sensors_observation"
            " WHERE phenomenon_time >= %s AND phenomenon_time < %s"
            " GROUP BY datastream_id, date_trunc(%s, phenomenon_time, 'UTC')"
            " ON CONFLICT (datastream_id, period, start) DO UPDATE SET count = EXCLUDED.count,"
            " minimum = EXCLUDED.minimum, maximum = EXCLUDED.maximum, average = EXCLUDED.average",
            [period, period, since, until, period],
        )
        return cursor.rowcount
