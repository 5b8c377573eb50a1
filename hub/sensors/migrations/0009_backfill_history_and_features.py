# SPDX-License-Identifier: EUPL-1.2
"""What the standard requires of data stored before 0008: a HistoricalLocation for each Thing
that has Locations but no history, and a FeatureOfInterest for each Observation without one
(generated from its Thing's newest Location, as hub.sensors.ingest does from now on)."""

from django.db import migrations

HISTORY = """
WITH placed AS (
    SELECT t.id, t.tenant_id FROM sensors_thing t
    WHERE EXISTS (SELECT 1 FROM sensors_thing_locations tl WHERE tl.thing_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM sensors_historicallocation h WHERE h.thing_id = t.id)
), made AS (
    INSERT INTO sensors_historicallocation (tenant_id, thing_id, time)
    SELECT tenant_id, id, now() FROM placed RETURNING id, thing_id
)
INSERT INTO sensors_historicallocation_locations (historicallocation_id, location_id)
SELECT made.id, tl.location_id FROM made JOIN sensors_thing_locations tl USING (thing_id)
"""

FEATURES = """
WITH made AS (
    INSERT INTO sensors_featureofinterest (tenant_id, name, description, encoding_type, feature,
        properties)
    SELECT l.tenant_id, l.name, l.description, l.encoding_type, l.location,
        jsonb_build_object('generatedFrom', 'Locations(' || l.id || ')')
    FROM sensors_location l
    WHERE l.generated_feature_id IS NULL AND EXISTS (
        SELECT 1 FROM sensors_thing_locations tl JOIN sensors_datastream d ON d.thing_id = tl.thing_id
        WHERE tl.location_id = l.id)
    RETURNING id, properties
)
UPDATE sensors_location l SET generated_feature_id = made.id FROM made
WHERE made.properties->>'generatedFrom' = 'Locations(' || l.id || ')'
"""

LINK = """
UPDATE sensors_observation o SET feature_id = g.feature_id
FROM (
    SELECT DISTINCT ON (d.id) d.id AS datastream_id, l.generated_feature_id AS feature_id
    FROM sensors_datastream d
    JOIN sensors_thing_locations tl ON tl.thing_id = d.thing_id
    JOIN sensors_location l ON l.id = tl.location_id
    ORDER BY d.id, l.id DESC
) g
WHERE o.datastream_id = g.datastream_id AND o.feature_id IS NULL
"""


def backfill(apps, schema_editor):
    from hub.tenancy.context import system_context

    with system_context(using=schema_editor.connection.alias):
        with schema_editor.connection.cursor() as cursor:
            for statement in (HISTORY, FEATURES, LINK):
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0008_generated_features"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
