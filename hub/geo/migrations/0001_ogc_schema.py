# SPDX-License-Identifier: EUPL-1.2
"""The `ogc` schema: the views the OGC server publishes, nothing else."""

from django.db import migrations

from hub.geo import db


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [db.schema()]
