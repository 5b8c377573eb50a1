# SPDX-License-Identifier: EUPL-1.2
"""The sensor sites of each tenant as an OGC layer (ogc.messstellen): things at their
point locations, with their datastreams' names; no device keys, no secrets."""

from django.db import migrations

from hub.geo import db

SELECT = """
SELECT l.id, t.slug AS tenant, th.name AS name, th.description AS beschreibung,
       (SELECT string_agg(d.name, '; ' ORDER BY d.name) FROM sensors_datastream d
         WHERE d.thing_id = th.id) AS datenstroeme,
       l.location AS geom
FROM sensors_thing th
JOIN sensors_thing_locations tl ON tl.thing_id = th.id
JOIN sensors_location l ON l.id = tl.location_id
JOIN tenancy_tenant t ON t.id = th.tenant_id
WHERE GeometryType(l.location) = 'POINT'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0002_observations"),
        ("geo", "0001_ogc_schema"),
        ("consultations", "0002_row_level_security_and_ogc_layer"),
    ]

    operations = [
        db.publish_view(
            "messstellen",
            SELECT,
            {
                "sensors_thing": (("id", "tenant_id", "name", "description"), "true"),
                "sensors_thing_locations": (("thing_id", "location_id"), "true"),
                "sensors_location": (("id", "location"), "true"),
                "sensors_datastream": (("thing_id", "name"), "true"),
                "tenancy_tenant": (("id", "slug"), "true"),
            },
        )
    ]
