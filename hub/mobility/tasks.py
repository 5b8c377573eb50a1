# SPDX-License-Identifier: EUPL-1.2
"""Beat's work for the mobility centre: read each feed when it is due, warn before a feed's
service ends."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from hub.core.errors import HubError
from hub.mobility import registry, services

log = logging.getLogger(__name__)


@shared_task(name="hub.mobility.tasks.refresh_feeds")
def refresh_feeds() -> dict[str, str]:
    """Every feed of the registry whose refresh is due, from its source; a refused feed is
    logged with the validator's notices and leaves its live timetable as it was."""
    outcome: dict[str, str] = {}
    now = timezone.now()
    for feed in registry.apply(registry.read()):
        if feed.checked_at and now - feed.checked_at < dt.timedelta(hours=feed.refresh_hours):
            outcome[feed.slug] = "not due"
            continue
        try:
            done = services.import_source(feed, progress=False)
        except HubError as exc:
            log.error("feed %s refused: %s", feed.slug, exc.message)
            outcome[feed.slug] = "refused"
            continue
        outcome[feed.slug] = (
            "not modified" if done is None else ("imported" if done.changed else "unchanged")
        )
    return outcome


@shared_task(name="hub.mobility.tasks.watch_service_end")
def watch_service_end() -> list[str]:
    return services.warn_service_end()


@shared_task(name="hub.mobility.tasks.poll_realtime")
def poll_realtime() -> dict[str, int]:
    """Each feed's GTFS-Realtime, when due (back-off while its source fails)."""
    from hub.mobility import realtime
    from hub.mobility.models import Feed

    return {
        feed.slug: realtime.poll(feed).failures for feed in Feed.objects.exclude(realtime_url="")
    }
