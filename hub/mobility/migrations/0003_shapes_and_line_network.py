# SPDX-License-Identifier: EUPL-1.2
"""Shapes, each route's line on the map, and the line network of every tenant as an OGC layer
(ogc.linien): the live routes whose line crosses the tenant's area. Open data (CC BY 4.0)."""

import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models

from hub.geo import db

SELECT = """
SELECT r.id, t.slug AS tenant,
       coalesce(nullif(r.short_name, ''), r.long_name) AS linie, r.long_name AS name,
       r.agency AS betreiber, r.route_type AS verkehrsmittel, r.color AS farbe,
       f.slug AS feed, r.geometry AS geom
FROM mobility_route r
JOIN mobility_feed f ON f.live_id = r.version_id
JOIN tenancy_tenant t ON t.boundary IS NOT NULL AND ST_Intersects(r.geometry, t.boundary)
WHERE r.geometry IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('mobility', '0002_realtime'),
        ('geo', '0001_ogc_schema'),
        ('consultations', '0002_row_level_security_and_ogc_layer'),
    ]

    operations = [
        migrations.AddField(
            model_name='route',
            name='geometry',
            field=django.contrib.gis.db.models.fields.MultiLineStringField(blank=True, null=True, srid=4326),
        ),
        migrations.CreateModel(
            name='Shape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shape_id', models.CharField(max_length=100)),
                ('line', django.contrib.gis.db.models.fields.LineStringField(srid=4326)),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.feedversion')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('version', 'shape_id'), name='mobility_shape_once')],
            },
        ),
        db.publish_view(
            "linien",
            SELECT,
            {
                "mobility_route": (
                    (
                        "id",
                        "version_id",
                        "short_name",
                        "long_name",
                        "agency",
                        "route_type",
                        "color",
                        "geometry",
                    ),
                    "true",
                ),
                "mobility_feed": (("slug", "live_id"), "true"),
                "tenancy_tenant": (("id", "slug", "boundary"), "true"),
            },
        ),
    ]
