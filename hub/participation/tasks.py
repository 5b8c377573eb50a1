# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings

from hub.participation import services


@shared_task(name="hub.participation.tasks.anonymise_reports")
def anonymise_reports() -> int:
    """Hourly: personal data of reports closed longer than HUB_REPORT_ANONYMISE_DAYS goes."""
    return services.anonymise_closed(settings.HUB_REPORT_ANONYMISE_DAYS)


@shared_task(
    name="hub.participation.tasks.send_notification",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
)
def send_notification(subject: str, body: str, to: str) -> None:
    """One notification mail; a mail server that is away is tried again for about a day."""
    from hub.participation.notifications import deliver

    deliver(subject, body, to)
