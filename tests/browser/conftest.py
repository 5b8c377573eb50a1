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
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from hub.accounts.models import User
from hub.participation.models import Report
from hub.tenancy.context import system_context
from identity import demo
from identity.keycloak import admin_client
from tests.browser.steps import SLUG, Person, open_context

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"  # Debian's: no browser download
STACK_DB = "stack"  # the alias of the stack's own database, next to pytest-django's test database


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
    """Run `work(alias)` with the ORM on the stack's own database (the one the hub on :8000
    writes to), in the system scope.

    The work runs in a thread of its own: Playwright's sync API keeps an event loop running in
    the test's thread, and Django refuses database work there.
    """
    config = {**connections.settings["default"], "NAME": settings.CONFIG["HUB_DB_NAME"]}
    config["OPTIONS"] = {k: v for k, v in config["OPTIONS"].items() if k != "pool"}
    config["OPTIONS"]["application_name"] = "hub-browser-tests"
    connections.settings[STACK_DB] = config

    def in_thread(work: Callable[[str], T]) -> T:
        try:
            with system_context(using=STACK_DB):
                return work(STACK_DB)
        finally:
            connections[STACK_DB].close()

    def run(work: Callable[[str], T]) -> T:
        with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(in_thread, work).result()

    yield run
    del connections.settings[STACK_DB]


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
