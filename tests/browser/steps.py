# SPDX-License-Identifier: EUPL-1.2
"""What citizens and moderators do in the browser, step by step, through the German pages.

The steps find fields by their visible labels and buttons by their names, as people (and
screen readers) do: a field that lost its label makes them fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect

HUB = "http://localhost:8000"  # the address Keycloak sends people back to (a secure context)
SLUG = "haldensleben"
CATEGORY = "Illegale Müllablagerung"
MARKTPLATZ = (52.2894, 11.4097)  # inside Haldensleben


@dataclass(frozen=True)
class Person:
    username: str
    password: str


@dataclass(frozen=True)
class Submitted:
    id: int
    token: str

    @property
    def status_page(self) -> str:
        return f"{HUB}/meldung/{self.token}/"


def open_context(
    browser: Browser, language: str, *, javascript: bool = True, signed_in: dict | None = None
) -> BrowserContext:
    """A fresh browser profile: one person, one language (the browser's Accept-Language, as a
    visitor's first request has it), JavaScript on or off; `signed_in` is the storage state of
    a context that signed in before."""
    context = browser.new_context(
        locale=language, java_script_enabled=javascript, storage_state=signed_in
    )
    # Generous: a busy CI machine is slow, and every wait is for a condition, never a time.
    context.set_default_timeout(30_000)
    return context


def ready(page: Page) -> None:
    """Wait for the page's ready signal (hub/portal/static/portal/ready.js): parsed, and
    whatever its scripts fetch first (a map's layers) is in. Never "network idle": a map
    keeps loading tiles from the OGC server while someone looks at it."""
    page.locator("html[data-ready='true']").wait_for(state="attached")


def describe(page: Page, description: str) -> None:
    """The "what?" part of the report form."""
    page.get_by_label("Worum geht es?").select_option(label=CATEGORY)
    page.get_by_label(re.compile(r"^Beschreibung")).fill(description)


def leave_address(page: Page, address: str) -> None:
    page.get_by_label("Ihre E-Mail-Adresse").fill(address)
    page.get_by_label("Ich willige ein").check()


def send(page: Page) -> Submitted:
    """Send the form; the hub answers with the reporter's own page of the new report."""
    page.get_by_role("button", name="Meldung absenden").click()
    expect(page).to_have_url(re.compile(rf"^{HUB}/meldung/[0-9a-f-]{{36}}/$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    number = re.search(r"#(\d+)", heading)
    assert number, heading
    return Submitted(int(number[1]), page.url.rstrip("/").rsplit("/", 1)[1])


def report_without_map(page: Page, description: str, *, email: str = "") -> Submitted:
    """A report by the text fields alone: coordinates typed in, an address written down."""
    page.goto(f"{HUB}/t/{SLUG}/melden/")
    describe(page, description)
    page.get_by_label("Breitengrad").fill(str(MARKTPLATZ[0]))
    page.get_by_label("Längengrad").fill(str(MARKTPLATZ[1]))
    page.get_by_label("Adresse oder Ortsbeschreibung").fill("Marktplatz, vor dem Rathaus")
    if email:
        leave_address(page, email)
    return send(page)


def sign_in(page: Page, person: Person, *, then: str) -> None:
    """Open a staff page and sign in on the region's Keycloak pages it sends the browser to
    (username first, then the password, as the organization-aware login asks)."""
    page.goto(f"{HUB}{then}")
    assert page.url.startswith(settings.HUB_KEYCLOAK["url"]), page.url
    page.locator("#username").fill(person.username)
    page.locator("#kc-login").click()
    page.locator("#password").fill(person.password)
    page.locator("#kc-login").click()
    expect(page).to_have_url(f"{HUB}{then}", timeout=15_000)


def moderate(page: Page, report: int, status: str, note: str = "") -> None:
    """On the moderation queue: set the report's status (and a note), save, see it saved."""
    card = page.locator(f"section[aria-labelledby='r{report}']")
    card.get_by_label("Neuer Status").select_option(label=status)
    if note:
        card.get_by_label("Hinweis für die Öffentlichkeit").fill(note)
    card.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text(f"Meldung #{report} gespeichert.")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
