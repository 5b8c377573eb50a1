# SPDX-License-Identifier: EUPL-1.2
"""Row-level security for tenant-owned tables: the second wall behind the scoped managers.

Each tenant-owned table gets `ENABLE` and `FORCE ROW LEVEL SECURITY` (FORCE binds the table's
owner too, which is the hub's own role) and a policy that admits a row only when its tenant is in
the session's context (hub.tenancy.context). No context, no rows; writes outside the context fail.

The context lives in session settings that any SQL could set, so this wall catches application
code that forgets its tenant filter; it is not a boundary against arbitrary SQL (docs/adr/0002).
"""

from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION hub_tenant_visible(tid bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('hub.system', true), '') = 'on'
      OR tid = ANY (coalesce(nullif(current_setting('hub.tenant_ids', true), ''), '{}')::bigint[])
$$;
CREATE OR REPLACE FUNCTION hub_current_user_id() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('hub.user_id', true), '')::bigint
$$;
"""


def enable(table: str, *, self_read_column: str | None = None) -> migrations.RunSQL:
    """Migration operation: put `table` behind the tenant policy.

    `self_read_column` names a user column whose rows the user may read outside their tenant
    context (their own memberships, needed to compute that context in the first place).
    """
    forward = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING (hub_tenant_visible(tenant_id))"
        f" WITH CHECK (hub_tenant_visible(tenant_id))",
    ]
    backward = [
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]
    if self_read_column:
        forward.append(
            f"CREATE POLICY own_rows ON {table} FOR SELECT"
            f" USING ({self_read_column} = hub_current_user_id())"
        )
        backward.insert(0, f"DROP POLICY IF EXISTS own_rows ON {table}")
    return migrations.RunSQL(forward, backward)


def functions() -> migrations.RunSQL:
    return migrations.RunSQL(
        FUNCTION_SQL,
        "DROP FUNCTION IF EXISTS hub_tenant_visible(bigint);"
        " DROP FUNCTION IF EXISTS hub_current_user_id();",
    )
