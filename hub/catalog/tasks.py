# SPDX-License-Identifier: EUPL-1.2
"""Publishing to CKAN as a Celery task, retried with back-off while CKAN is away."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from connectors.ckan import CkanUnavailable
from hub.catalog import services


@shared_task(
    name="hub.catalog.tasks.publish_catalog",
    autoretry_for=(CkanUnavailable,),
    retry_backoff=True,
    retry_backoff_max=900,
    max_retries=8,
)
def publish_catalog() -> dict[str, list[str]]:
    return asdict(services.publish())
