# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the tenant-owned tables (see hub/tenancy/rls.py)."""

from django.db import migrations

from hub.tenancy import rls


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        rls.functions(),
        rls.enable("tenancy_membership", self_read_column="user_id"),
        rls.enable("tenancy_tenantevent"),
    ]
