# SPDX-License-Identifier: EUPL-1.2
"""Every Observation has a FeatureOfInterest (SensorThings 1.1, 9.2.7): a Location remembers the
one generated from it; the observation table's feature_id becomes a link in Django's state only
(the partitioned table keeps no foreign key)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0007_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="generated_feature",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="generated_from",
                to="sensors.featureofinterest",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="observation", name="feature_id"),
                migrations.AddField(
                    model_name="observation",
                    name="feature",
                    field=models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="observations",
                        to="sensors.featureofinterest",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
