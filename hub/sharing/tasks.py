# SPDX-License-Identifier: EUPL-1.2
"""Beat: every minute, each GBFS feed whose ttl has passed is read again."""

from __future__ import annotations

from celery import shared_task

from hub.sharing import services
from hub.sharing.models import Feed


@shared_task(name="hub.sharing.tasks.poll_feeds")
def poll_feeds() -> dict[str, bool]:
    return {feed.slug: services.poll(feed) for feed in Feed.objects.all()}
