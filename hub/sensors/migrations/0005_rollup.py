# SPDX-License-Identifier: EUPL-1.2
"""Hourly and daily rollups per datastream (count, minimum, maximum, mean), kept by Celery."""

from django.db import migrations

from hub.tenancy import rls

ROLLUP = """
CREATE TABLE sensors_rollup (
    -- No foreign keys: a test's TRUNCATE of the datastreams must not need this table too;
    -- rollups of deleted datastreams are removed by the daily maintenance.
    datastream_id bigint NOT NULL,
    tenant_id bigint NOT NULL,
    period text NOT NULL CHECK (period IN ('hour', 'day')),
    start timestamptz NOT NULL,
    count bigint NOT NULL,
    minimum double precision,
    maximum double precision,
    average double precision,
    PRIMARY KEY (datastream_id, period, start)
)
"""


class Migration(migrations.Migration):
    dependencies = [("sensors", "0004_thing_public")]

    operations = [
        migrations.RunSQL(ROLLUP, "DROP TABLE sensors_rollup"),
        rls.enable("sensors_rollup"),
    ]
