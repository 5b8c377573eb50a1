# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the OCPI partners: a tenant's staff see only their own operators."""

from django.db import migrations

from hub.tenancy import rls


class Migration(migrations.Migration):
    dependencies = [("charging", "0001_initial")]

    operations = [rls.enable("charging_party")]
