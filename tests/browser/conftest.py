# SPDX-License-Identifier: EUPL-1.2
"""Browser tests: Debian's Chromium, driven by Playwright, against the stack's running hub.

What a person does in the browser happens in the hub on :8000, so it lands in the stack's own
database, Keycloak realm and SMTP sink, not in pytest-django's test database. Every report the
tests make carries the run's tag in its description (and reporter address); by that tag, and by
the temporary moderator's Keycloak id, the fixtures remove afterwards what the run left behind.
"""

from __future__ import annotations

import email
import email.policy
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

from hub.accounts.models import User
from hub.participation.models import Report
from identity import demo
from identity.keycloak import admin_client
from tests.browser.steps import SLUG, Person, open_context
from tests.conftest import on_stack_db

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"  # Debian's: no browser download


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for all browser tests; each test opens its own contexts in it.

    Package-scoped, not session-scoped: Playwright's sync API leaves its event loop marked as
    running in this thread while it is started, which Django takes for an async context; it is
    stopped before the rest of the suite runs.
    """
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A page in a fresh context per call (see `open_context`), closed after the test."""
    contexts = []

    def open_(language: str = "de", **options) -> Page:
        contexts.append(open_context(browser, language, **options))
        return contexts[-1].new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def stack_db(django_db_blocker) -> Iterator[Callable[[Callable[[str], T]], T]]:
    """Run `work(alias)` with the ORM on the stack's own database, in the system scope, in a
    thread of its own (see tests.conftest.on_stack_db)."""
    with on_stack_db(django_db_blocker, "hub-browser-tests") as run:
        yield run


@pytest.fixture(scope="package")
def run_tag() -> str:
    """Written into every report (and reporter address) of this run, to find them again."""
    return f"browsertest-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="package", autouse=True)
def _leftovers(run_tag, stack_db) -> Iterator[None]:
    """After the run: the run's reports (with their events) and the mails about them go."""
    yield
    stack_db(lambda db: Report.objects.using(db).filter(description__contains=run_tag).delete())
    for path in settings.HUB_MAIL_DIR.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        if run_tag in str(message["To"]) or (body and run_tag in body.get_content()):
            path.unlink()


@pytest.fixture(scope="package")
def moderator(run_tag, stack_db) -> Iterator[Person]:
    """A moderator of Haldensleben in the region's realm, for this run only: a group member and
    a member of the tenant's organization, as municipal staff are."""
    realm = admin_client(settings.HUB_KEYCLOAK["realm"])
    person = demo.DemoPerson(
        f"moderation.{run_tag}",
        "Mona",
        "Moderation",
        f"moderation.{run_tag}@haldensleben.de",
        (f"/tenants/{SLUG}/moderator",),
        (SLUG,),
    )
    password = f"Pw-{uuid.uuid4().hex}!"
    user_id = demo.ensure_user(realm, person, password)
    try:
        realm.group_user_add(user_id, realm.get_group_by_path(person.groups[0])["id"])
        [organization] = [o for o in realm.get_organizations({"max": 1000}) if o["alias"] == SLUG]
        realm.organization_user_add(user_id, organization["id"])
        yield Person(person.username, password)
    finally:
        realm.delete_user(user_id)
        stack_db(lambda db: User.objects.using(db).filter(keycloak_sub=user_id).delete())
