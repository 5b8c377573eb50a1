# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the tenants' own fleets."""

from django.db import migrations

from hub.tenancy import rls


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [
        rls.enable("sharing_fleet"),
        rls.enable("sharing_fleetstation"),
        rls.enable("sharing_fleetvehicle"),
    ]
