# SPDX-License-Identifier: EUPL-1.2
"""An index for Open311's GET requests: tenant, category, status and the date window.

Row-level security lets PostgreSQL use a condition as an index condition only if its operator
is leakproof. PostGIS's operators (`&&`, ST_Within) are not, so the GiST index on `location`
cannot serve the `bbox` filter; only the leakproof conditions (tenant, status, created_at) can.
The planner also expects one category row behind the policy, so it joins category first and
looks the reports up per category. This index answers that lookup directly: at 100,000 reports
one jurisdiction's search went from 10-28 ms to 1-4 ms in the database (tests/perf/
bench_participation.py).

Plain SQL rather than Meta.indexes, so the model's migration state stays as models.py has it;
move it into Meta.indexes (with SeparateDatabaseAndState) when models.py is next edited.
"""

from django.db import migrations

INDEX = "report_open311_search"


class Migration(migrations.Migration):
    dependencies = [("participation", "0004_ogc_layer")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON participation_report"
            " (tenant_id, category_id, status, created_at)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
