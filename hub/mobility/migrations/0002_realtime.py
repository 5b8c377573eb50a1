# SPDX-License-Identifier: EUPL-1.2
"""A feed may name its GTFS-Realtime source."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mobility', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='feed',
            name='realtime_url',
            field=models.URLField(blank=True, max_length=500, verbose_name='Echtzeit (GTFS-RT)'),
        ),
    ]
