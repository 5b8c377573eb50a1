# SPDX-License-Identifier: EUPL-1.2
"""E-mails about reports: to the responsible department when one comes in, to the reporter
(if they left an address) when its status changes. Queued for Celery after the transaction
commits, so a slow or absent mail server never holds up or undoes a report; the task retries
with back-off (hub.core.mail)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from hub.core.mail import send_later as _send
from hub.participation.models import Report


def _department(report: Report) -> str:
    return report.category.department_email or (report.tenant.contact or {}).get("email", "")


def new_report(report: Report) -> None:
    to = _department(report)
    if not to:
        return
    subject = f"Neue Meldung #{report.pk}: {report.category.name}"
    body = (
        f"Bei {report.tenant.display_name} ist eine neue Meldung eingegangen.\n\n"
        f"Kategorie: {report.category.name}\n"
        f"Ort: {report.address or ''} ({report.location.y:.5f}, {report.location.x:.5f})\n"
        f"Anlagennummer: {report.asset_id or 'keine'}\n\n"
        f"{report.description}\n\n"
        "Bitte in der Moderation prüfen; erst danach ist sie öffentlich.\n"
    )
    _send(subject, body, to)


def status_changed(report: Report) -> None:
    to = report.reporter_email
    if not to:
        return
    subject = f"Ihre Meldung #{report.pk}: {report.get_status_display()}"
    lines = [
        "Guten Tag,",
        "",
        f"Ihre Meldung „{report.category.name}“ bei {report.tenant.display_name} hat einen "
        f"neuen Stand: {report.get_status_display()}.",
    ]
    if report.forwarded_to:
        lines.append(f"Sie wurde weitergeleitet an: {report.forwarded_to}.")
    if report.status_notes:
        lines += ["", report.status_notes]
    if report.expected_at:
        lines.append(f"Voraussichtlich erledigt am {report.expected_at:%d.%m.%Y}.")
    lines += [
        "",
        # The reporter's own page (human-readable, with the deletion of their data), not the
        # Open311 JSON; the token is theirs, and this mail goes only to them.
        "Stand ansehen und Ihre Angaben löschen: "
        f"{settings.HUB_PUBLIC_URL}{reverse('participation:mine', kwargs={'token': report.token})}",
        "",
        "Diese Nachricht wurde automatisch versandt. Ihre Kontaktdaten werden "
        f"{settings.HUB_REPORT_ANONYMISE_DAYS} Tage nach Abschluss gelöscht.",
    ]
    body = "\n".join(lines)
    _send(subject, body, to)
