# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime as dt

from celery import shared_task

from hub.sensors import maintenance


@shared_task(name="hub.sensors.tasks.maintain")
def maintain() -> dict[str, int]:
    """Daily: partitions ahead, retention per tenant."""
    return {
        "partitions": maintenance.ensure_partitions(),
        "deleted": maintenance.apply_retention(),
    }


@shared_task(name="hub.sensors.tasks.rollups")
def rollups() -> dict[str, int]:
    """Hourly: the last two hours and the last two days (late data is folded in again)."""
    now = dt.datetime.now(dt.UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    day = hour.replace(hour=0)
    return {
        "hour": maintenance.rollup("hour", hour - dt.timedelta(hours=2), hour),
        "day": maintenance.rollup("day", day - dt.timedelta(days=2), day + dt.timedelta(days=1)),
    }
