# SPDX-License-Identifier: EUPL-1.2
"""Notifications through the stack's real SMTP sink (`python -m hub.core.mailsink` on :1025,
files in var/mail/), not Django's in-memory test backend."""

from __future__ import annotations

import email
import email.policy
import io
import time
import uuid
from pathlib import Path

import pytest

from hub.participation import services
from hub.participation.models import Report, Status
from hub.tenancy.context import system_context, tenant_context
from tests.participation.conftest import post_report

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def mails_to(
    folder: Path, address: str, wait: float = 10.0, count: int = 1
) -> list[email.message.EmailMessage]:
    """The mails to `address` once `count` have arrived (Celery's worker sends them)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for path in sorted(folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]):
                found.append(message)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_department_and_reporter_are_told(
    client, categories, address, smtp, django_capture_on_commit_callbacks
):
    department = f"bauhof-{uuid.uuid4().hex[:6]}@haldensleben.de"
    reporter = f"erika-{uuid.uuid4().hex[:6]}@example.org"
    with tenant_context([categories["haldensleben"].pk]):
        from hub.participation.models import Category

        Category.objects.filter(tenant=categories["haldensleben"], code="muell").update(
            department_email=department
        )
    with django_capture_on_commit_callbacks(execute=True):
        created = post_report(
            client, address, description="Altreifen am Parkplatz", email=reporter
        ).json()[0]
    [incoming] = mails_to(smtp, department)
    assert (
        incoming["Subject"]
        == f"Neue Meldung #{created['service_request_id']}: Illegale Müllablagerung"
    )
    assert "Altreifen am Parkplatz" in incoming.get_content()
    assert reporter not in incoming.get_content()  # the department needs the matter, not the person
    with system_context():
        report = Report.objects.get(pk=created["service_request_id"])
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(report, Status.REVIEWED, actor="moderator")
        services.transition(
            report, Status.IN_PROGRESS, actor="moderator", note="Der Bauhof holt die Reifen ab."
        )
    messages = mails_to(smtp, reporter, count=2)
    by_subject = {m["Subject"]: m for m in messages}  # two workers: in either order
    assert sorted(by_subject) == [
        f"Ihre Meldung #{report.pk}: geprüft",
        f"Ihre Meldung #{report.pk}: in Bearbeitung",
    ]
    progress = by_subject[f"Ihre Meldung #{report.pk}: in Bearbeitung"]
    assert "Der Bauhof holt die Reifen ab." in progress.get_content()


def test_no_address_no_mail_and_a_dead_server_does_not_undo_the_report(
    client, categories, address, settings, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    """Mails go through Celery after the commit: the request never waits for a mail server,
    and one that is away makes the task retry, never the report fail."""
    from hub.core.mail import deliver as send_notification

    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(client, address, description="Altreifen")
    assert response.status_code == 201
    with system_context():
        report = Report.objects.get(pk=response.json()[0]["service_request_id"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.transition(report, Status.REVIEWED, actor="moderator")
    assert queued == []  # no address given: nothing to send
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 9  # nothing listens there
    monkeypatch.setattr(send_notification, "max_retries", 3)
    attempt = send_notification.apply(args=("Betreff", "Text", "niemand@example.org"))
    # Eager, the retries run at once: three tries with back-off, then it gives up.
    retries = [r for r in caplog.records if "retry: Retry in" in r.getMessage()]
    assert len(retries) == 3
    assert attempt.state == "FAILURE"
    with system_context():
        assert Report.objects.get(pk=report.pk).status == Status.REVIEWED


def test_the_demo_seed_gives_every_report_a_department_to_tell(
    client, categories, address, smtp, settings, django_capture_on_commit_callbacks
):
    """`make up` seeds with HUB_DEMO_DEPARTMENT_EMAIL, so that a demo report reaches the SMTP
    sink; a category with an address of its own keeps it; production leaves it empty."""
    from django.core.management import call_command

    from hub.participation.models import Category

    haldensleben = categories["haldensleben"]
    with tenant_context([haldensleben.pk]):
        Category.objects.filter(tenant=haldensleben, code="gruen").update(
            department_email="ordnungsamt@haldensleben.de"
        )
    run = uuid.uuid4().hex[:6]
    settings.CONFIG = {
        **settings.CONFIG,
        "HUB_DEMO_DEPARTMENT_EMAIL": f"demo-{run}+{{slug}}@hub.localhost",
    }
    call_command("participation", "seed", stdout=io.StringIO())
    with tenant_context([haldensleben.pk]):
        emails = dict(
            Category.objects.filter(tenant=haldensleben).values_list("code", "department_email")
        )
    assert emails["gruen"] == "ordnungsamt@haldensleben.de"
    assert emails["muell"] == f"demo-{run}+haldensleben@hub.localhost"
    with django_capture_on_commit_callbacks(execute=True):
        post_report(client, address, description="Bauschutt im Graben")
    [incoming] = mails_to(smtp, f"demo-{run}+haldensleben@hub.localhost")
    assert "Bauschutt im Graben" in incoming.get_content()
