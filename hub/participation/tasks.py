# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from hub.participation import services


@shared_task(name="hub.participation.tasks.anonymise_reports")
def anonymise_reports() -> int:
    """Hourly: personal data of reports closed longer than HUB_REPORT_ANONYMISE_DAYS goes."""
    return services.anonymise_closed(settings.HUB_REPORT_ANONYMISE_DAYS)
