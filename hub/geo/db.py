# SPDX-License-Identifier: EUPL-1.2
"""Migration operations that expose a layer to the OGC server's read-only database role.

The wall is PostgreSQL's own: the role (HUB_OGC_DB_USER) may read the `ogc` views, the columns
of the base tables those views name and, through a policy of its own, only the rows the view
means to publish. Views run with the reader's rights (security_invoker), so row-level security
of the base tables still binds it: a private column or an unreviewed row is out of its reach
even with hand-written SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations


def role() -> str:
    return settings.HUB_OGC["db_user"]


def _if_role(statements: list[str]) -> str:
    """Run `statements` only where the role exists (created by the deployment, not the hub)."""
    body = "\n".join(f"    EXECUTE {_literal(sql)};" for sql in statements)
    return (
        "DO $$ BEGIN\n"
        f"  IF EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role())}) THEN\n"
        f"{body}\n"
        "  ELSE\n"
        "    RAISE NOTICE 'role % missing: the OGC server cannot read the layers',"
        f" {_literal(role())};\n"
        "  END IF;\n"
        "END $$;"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def schema() -> migrations.RunSQL:
    forward = _if_role([f'GRANT USAGE ON SCHEMA ogc TO "{role()}"'])
    return migrations.RunSQL(
        ["CREATE SCHEMA IF NOT EXISTS ogc", forward], "DROP SCHEMA IF EXISTS ogc CASCADE"
    )


def publish_view(
    view: str, select: str, reads: dict[str, tuple[tuple[str, ...], str]]
) -> migrations.RunSQL:
    """Create `ogc.<view>` AS `select`, readable by the OGC role.

    `reads` maps each base table to (columns the role may read, rows it may read as SQL).
    """
    name = f"ogc.{view}"
    statements = [f'GRANT SELECT ON {name} TO "{role()}"']
    backward = []
    for table, (columns, rows) in reads.items():
        statements.append(f'GRANT SELECT ({", ".join(columns)}) ON {table} TO "{role()}"')
        statements.append(
            f"DROP POLICY IF EXISTS ogc_read ON {table}; "
            f'CREATE POLICY ogc_read ON {table} FOR SELECT TO "{role()}" USING ({rows})'
        )
        backward.append(f"DROP POLICY IF EXISTS ogc_read ON {table}")
    forward = [
        f"CREATE OR REPLACE VIEW {name} WITH (security_invoker = true) AS {select}",
        _if_role(statements),
    ]
    return migrations.RunSQL(forward, [f"DROP VIEW IF EXISTS {name}", *backward])
