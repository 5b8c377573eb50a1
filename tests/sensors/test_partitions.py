# SPDX-License-Identifier: EUPL-1.2
"""The month partitions of the observations are behind the same row-level security as the
table: naming a partition in a query does not step around the tenant context."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from hub.sensors import ingest, maintenance
from hub.tenancy.context import system_context, tenant_context

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2023, 5, 22, 7, 0, tzinfo=dt.UTC)
PARTITION = "sensors_observation_2023_05"


def _security() -> dict[str, tuple[bool, bool, list[str]]]:
    """Each partition: (RLS enabled, forced, its policies as name: USING / WITH CHECK)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, coalesce((SELECT"
            " array_agg(p.polname || ': ' || pg_get_expr(p.polqual, p.polrelid) || ' / '"
            " || pg_get_expr(p.polwithcheck, p.polrelid) ORDER BY p.polname) FROM pg_policy p"
            " WHERE p.polrelid = c.oid), '{}') FROM pg_class c WHERE c.oid = 'sensors_observation'"
            "::regclass OR c.oid IN (SELECT inhrelid FROM pg_inherits"
            " WHERE inhparent = 'sensors_observation'::regclass)"
        )
        return {name: (enabled, forced, rules) for name, enabled, forced, rules in cursor}


def test_every_partition_has_the_tables_row_level_security():
    maintenance.ensure_partitions(dt.datetime(2032, 6, 15, tzinfo=dt.UTC))  # new ones too
    found = _security()
    parent = found.pop("sensors_observation")
    assert parent == (
        True,
        True,
        ["tenant_isolation: hub_tenant_visible(tenant_id) / hub_tenant_visible(tenant_id)"],
    )
    assert "sensors_observation_2032_06" in found
    assert {name: value for name, value in found.items() if value != parent} == {}


def test_a_tenant_cannot_read_another_tenants_rows_from_a_partition(stations):
    home, other = stations["barleben"], stations["haldensleben"]
    rows = [
        ingest.Row(s.tenant.pk, s.streams["co2"].pk, WHEN, value, None, f"p-{s.tenant.slug}")
        for s, value in ((other, 400.0), (home, 500.0))
    ]
    with system_context(), connection.cursor() as cursor:
        ingest.write(cursor.cursor, rows)
    with tenant_context([home.tenant.pk]), connection.cursor() as cursor:
        cursor.execute(f"SELECT tenant_id, result FROM {PARTITION}")
        assert cursor.fetchall() == [(home.tenant.pk, 500.0)]
        cursor.execute(f"UPDATE {PARTITION} SET result = 0")
        assert cursor.rowcount == 1  # its own row only
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            cursor.execute(
                f"INSERT INTO {PARTITION} (id, tenant_id, datastream_id, phenomenon_time)"
                " VALUES (-1, %s, %s, %s)",
                [other.tenant.pk, other.streams["co2"].pk, WHEN],
            )
    with connection.cursor() as cursor:  # outside any context: nothing
        cursor.execute(f"SELECT count(*) FROM {PARTITION}")
        assert cursor.fetchone() == (0,)
    with system_context(), connection.cursor() as cursor:
        cursor.execute(f"SELECT tenant_id, result FROM {PARTITION} ORDER BY result")
        assert cursor.fetchall() == [(home.tenant.pk, 0.0), (other.tenant.pk, 400.0)]
