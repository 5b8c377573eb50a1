# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the sensor tables; the observation table, partitioned by month of
phenomenon time; the latest value per datastream; the dead letters of ingest."""

import django.db.models.deletion
from django.db import migrations, models

from hub.tenancy import rls

TABLES = [
    "sensors_thing",
    "sensors_location",
    "sensors_historicallocation",
    "sensors_sensor",
    "sensors_observedproperty",
    "sensors_datastream",
    "sensors_featureofinterest",
    "sensors_device",
    "sensors_sensornetwork",
]

OBSERVATIONS = """
CREATE TABLE sensors_observation (
    id bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id bigint NOT NULL REFERENCES tenancy_tenant (id),
    datastream_id bigint NOT NULL REFERENCES sensors_datastream (id) ON DELETE CASCADE,
    phenomenon_time timestamptz NOT NULL,
    result_time timestamptz,
    result double precision,
    result_json jsonb,
    feature_id bigint,
    -- Where the observation came from (message id, frame counter): with the datastream and the
    -- time it makes a redelivered message a no-op.
    source_id text NOT NULL DEFAULT '',
    PRIMARY KEY (id, phenomenon_time)
) PARTITION BY RANGE (phenomenon_time);
CREATE UNIQUE INDEX sensors_observation_once
    ON sensors_observation (datastream_id, phenomenon_time, source_id);
CREATE INDEX sensors_observation_time ON sensors_observation USING brin (phenomenon_time);

-- Monthly partitions for the months around `around`, created when missing.
CREATE FUNCTION sensors_ensure_partitions(around timestamptz, months_back int, months_ahead int)
RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE
  first date := date_trunc('month', around - make_interval(months => months_back));
  made int := 0;
  month date;
  name text;
BEGIN
  FOR i IN 0 .. months_back + months_ahead LOOP
    month := first + make_interval(months => i);
    name := format('sensors_observation_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF sensors_observation FOR VALUES FROM (%L) TO (%L)',
        name, month, month + interval '1 month');
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$fn$;
SELECT sensors_ensure_partitions(now(), 2, 3);

CREATE TABLE sensors_latest (
    datastream_id bigint PRIMARY KEY REFERENCES sensors_datastream (id) ON DELETE CASCADE,
    tenant_id bigint NOT NULL REFERENCES tenancy_tenant (id),
    phenomenon_time timestamptz NOT NULL,
    result double precision,
    result_json jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every payload ingest could not map, with why; never read by tenants, only by operators.
CREATE TABLE sensors_deadletter (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    channel text NOT NULL,
    topic text NOT NULL DEFAULT '',
    tenant_id bigint REFERENCES tenancy_tenant (id),
    reason text NOT NULL,
    size int NOT NULL,
    payload bytea NOT NULL
);
CREATE INDEX sensors_deadletter_received ON sensors_deadletter (received_at);
"""


def _tenant():
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT, to="tenancy.tenant", verbose_name="Mandant"
    )


STATE = [
    migrations.CreateModel(
        name="Observation",
        fields=[
            ("id", models.BigAutoField(primary_key=True, serialize=False)),
            ("tenant", _tenant()),
            (
                "datastream",
                models.ForeignKey(
                    db_constraint=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    to="sensors.datastream",
                ),
            ),
            ("phenomenon_time", models.DateTimeField()),
            ("result_time", models.DateTimeField(null=True)),
            ("result", models.FloatField(null=True)),
            ("result_json", models.JSONField(null=True)),
            ("feature_id", models.BigIntegerField(null=True)),
            ("source_id", models.TextField(default="")),
        ],
        options={"db_table": "sensors_observation"},
    ),
    migrations.CreateModel(
        name="Latest",
        fields=[
            (
                "datastream",
                models.OneToOneField(
                    db_constraint=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    primary_key=True,
                    serialize=False,
                    to="sensors.datastream",
                ),
            ),
            ("tenant", _tenant()),
            ("phenomenon_time", models.DateTimeField()),
            ("result", models.FloatField(null=True)),
            ("result_json", models.JSONField(null=True)),
            ("updated_at", models.DateTimeField()),
        ],
        options={"db_table": "sensors_latest"},
    ),
    migrations.CreateModel(
        name="DeadLetter",
        fields=[
            ("id", models.BigAutoField(primary_key=True, serialize=False)),
            ("received_at", models.DateTimeField()),
            ("channel", models.TextField()),
            ("topic", models.TextField(default="")),
            (
                "tenant",
                models.ForeignKey(
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    to="tenancy.tenant",
                ),
            ),
            ("reason", models.TextField()),
            ("size", models.IntegerField()),
            ("payload", models.BinaryField()),
        ],
        options={"db_table": "sensors_deadletter"},
    ),
]


class Migration(migrations.Migration):
    dependencies = [("sensors", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [
        *[rls.enable(table) for table in TABLES],
        # The tables are SQL of our own (partitioning, identity, BRIN); Django knows them as
        # models so that it can read them and empty them between tests.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    OBSERVATIONS,
                    "DROP TABLE sensors_deadletter; DROP TABLE sensors_latest; "
                    "DROP FUNCTION sensors_ensure_partitions; DROP TABLE sensors_observation",
                )
            ],
            state_operations=STATE,
        ),
        rls.enable("sensors_observation"),
        rls.enable("sensors_latest"),
    ]
