# SPDX-License-Identifier: EUPL-1.2
"""What the benches that write reports share: removing them again."""

from __future__ import annotations

from django.db import connection, transaction

from hub.tenancy.context import system_context


def remove_reports(where: str, params: dict) -> list[str]:
    """Remove the reports `WHERE <where>` with their events and photos; their sources.

    A moderator may have merged a real report into a bench report meanwhile: that link goes,
    the real report stays.
    """
    bench = f"SELECT id FROM participation_report WHERE {where}"
    with transaction.atomic(), system_context(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE participation_report SET duplicate_of_id = NULL"
            f" WHERE duplicate_of_id IN ({bench}) AND id NOT IN ({bench})",
            params,
        )
        for table in ("participation_reportevent", "participation_reportphoto"):
            cursor.execute(f"DELETE FROM {table} WHERE report_id IN ({bench})", params)
        cursor.execute(
            f"DELETE FROM participation_report WHERE id IN ({bench}) RETURNING source", params
        )
        return [source for (source,) in cursor.fetchall()]
