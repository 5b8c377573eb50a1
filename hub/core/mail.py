# SPDX-License-Identifier: EUPL-1.2
"""Mail from the hub: queued for Celery once the transaction commits, so that a slow or absent
mail server never holds up or undoes what the mail is about; the task retries with back-off
for about a day. Every app sends through `send_later`."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


@shared_task(
    name="hub.core.mail.deliver",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
)
def deliver(subject: str, body: str, to: str) -> None:
    """Send one mail now (SMTP errors propagate, so that Celery tries again)."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_later(subject: str, body: str, to: str) -> None:
    """Queue one mail for after the current transaction commits (at once outside one)."""
    if not to:
        return
    transaction.on_commit(lambda: deliver.delay(subject, body, to))
