# SPDX-License-Identifier: EUPL-1.2
"""Deleting a Sensor or an ObservedProperty deletes its Datastreams, as SensorThings 1.1 (10.4)
requires; before, the database refused (PROTECT)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sensors', '0009_backfill_history_and_features'),
    ]

    operations = [
        migrations.AlterField(
            model_name='datastream',
            name='observed_property',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='datastreams', to='sensors.observedproperty'),
        ),
        migrations.AlterField(
            model_name='datastream',
            name='sensor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='datastreams', to='sensors.sensor'),
        ),
    ]
