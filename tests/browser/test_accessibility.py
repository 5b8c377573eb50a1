# SPDX-License-Identifier: EUPL-1.2
"""axe-core on the portal's and the apps' pages, in German and in English: no serious or critical
violation (WCAG 2.1 AA and axe's best practices). To check another page, add it to SCREENS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.steps import (
    HUB,
    SLUG,
    moderate,
    open_context,
    ready,
    report_without_map,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.integration
BLOCKING = {"serious", "critical"}
LANGUAGES = ["de", "en"]


def choose_a_place(page: Page) -> None:
    page.locator("#report-map").click()
    expect(page.locator("#report-map img.leaflet-marker-icon")).to_have_count(1)


def choose_a_spot(page: Page) -> None:
    page.locator("#consultation-map").click()
    expect(page.locator("#consultation-map img.leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("#id_lat")).not_to_have_value("")


def send_empty(page: Page) -> None:
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()


@dataclass(frozen=True)
class Screen:
    """A page as someone sees it: its path (with {slug}, {report}, {token} filled in from
    `Sample`), whether a moderator is signed in, and what they did on it first."""

    path: str
    moderator: bool = False
    then: Callable[[Page], None] | None = None
    # axe rules this screen may break, each for a reason the screen's comment gives.
    allowed: tuple[str, ...] = ()


SCREENS = [
    pytest.param(Screen("/t/{slug}/melden/"), id="report-form"),
    pytest.param(Screen("/t/{slug}/melden/", then=choose_a_place), id="report-form-place-chosen"),
    pytest.param(Screen("/t/{slug}/melden/", then=send_empty), id="report-form-errors"),
    pytest.param(Screen("/t/{slug}/meldungen/"), id="report-list"),
    pytest.param(Screen("/t/{slug}/meldungen/{report}/"), id="report-page"),
    pytest.param(Screen("/meldung/{token}/"), id="status-page"),
    pytest.param(Screen("/t/{slug}/moderation/", moderator=True), id="moderation-queue"),
    # The demo consultation `make up` seeds (hub consultations seed).
    pytest.param(Screen("/t/{slug}/beteiligung/"), id="consultation-list"),
    pytest.param(Screen("/t/{slug}/beteiligung/marktplatz/"), id="consultation-page"),
    pytest.param(
        Screen("/t/{slug}/beteiligung/marktplatz/zusammenfassung/"), id="consultation-summary"
    ),
    pytest.param(
        Screen("/t/{slug}/beteiligung/marktplatz/vorschlagen/", moderator=True),
        id="proposal-form",
    ),
    pytest.param(
        Screen("/t/{slug}/beteiligung/marktplatz/vorschlagen/", moderator=True, then=choose_a_spot),
        id="proposal-form-place-chosen",
    ),
    pytest.param(
        Screen("/t/{slug}/beteiligung/marktplatz/moderation/", moderator=True),
        id="consultation-moderation",
    ),
    pytest.param(Screen("/t/{slug}/"), id="tenant-page"),
    pytest.param(Screen("/"), id="start-page"),
    pytest.param(Screen("/suche/?q=Haldensleben"), id="search-results"),
    pytest.param(Screen("/melden/"), id="report-choose-tenant"),
    pytest.param(Screen("/t/{slug}/sensoren/"), id="sensor-readings"),
    pytest.param(Screen("/konto/", moderator=True), id="account-page"),
    # The mobility centre on the timetables `make up` imports (dates inside their service).
    pytest.param(Screen("/t/{slug}/mobilitaet/"), id="mobility-stations"),
    pytest.param(
        Screen("/t/{slug}/mobilitaet/abfahrten/de:15083:1555/?ab=2026-12-08T07:00"),
        id="departure-board",
    ),
    pytest.param(Screen("/t/{slug}/mobilitaet/abfahrten/de:15083:1555/"), id="departure-live"),
    pytest.param(
        Screen("/t/{slug}/mobilitaet/in-der-naehe/?ort=geo%3A52.2862%2C11.4090"),
        id="departures-nearby",
    ),
    # The chargers of the register `make up` imports, with their status.
    pytest.param(Screen("/t/{slug}/laden/"), id="chargers"),
    # The display mode is for an unattended screen at the bus station: nobody could pause its
    # refresh, and what it shows is real-time (WCAG 2.2.1's real-time exception).
    pytest.param(
        Screen(
            "/t/{slug}/mobilitaet/abfahrten/de:15083:1555/?anzeige=1", allowed=("meta-refresh",)
        ),
        id="departure-display",
    ),
    pytest.param(
        Screen(
            "/t/{slug}/mobilitaet/verbindung/?von=Haldensleben%2C+ZOB"
            "&nach=Magdeburg%2C+Hasselbachplatz&zeit=2026-06-10T07%3A00"
        ),
        id="journey-planner",
    ),
    pytest.param(Screen("/t/{slug}/mobilitaet/linien/"), id="lines"),
    pytest.param(Screen("{line}"), id="line-page"),
]


@dataclass(frozen=True)
class Sample:
    values: dict[str, str]  # what the paths of SCREENS may name
    moderator_state: dict  # the storage state of a signed-in moderator's browser


@pytest.fixture(scope="module")
def sample(browser, moderator, run_tag) -> Iterator[Sample]:
    """A reviewed (so public) report with a reporter address, and a signed-in moderator."""
    citizen = open_context(browser, "de")
    report = report_without_map(
        citizen.new_page(), f"Straßenlaterne flackert [{run_tag}]", email=f"{run_tag}@example.org"
    )
    citizen.close()
    staff = open_context(browser, "de")
    page = staff.new_page()
    sign_in(page, moderator, then=f"/t/{SLUG}/moderation/")
    moderate(page, report.id, "geprüft", "Die Stadtwerke sehen sich die Leuchte an.")
    lines = requests.get(f"{HUB}/api/v1/t/{SLUG}/mobilitaet/linien.geojson", timeout=30).json()
    first = lines["features"][0]["properties"]
    line = reverse(
        "mobility:line", kwargs={"slug": SLUG, "feed": first["feed"], "route": first["route_id"]}
    )
    yield Sample(
        {"slug": SLUG, "report": str(report.id), "token": report.token, "line": line},
        staff.storage_state(),
    )
    page.goto(f"{HUB}/t/{SLUG}/moderation/")
    sign_out(page)
    staff.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS)
def test_no_serious_accessibility_problems(open_page, sample, screen: Screen, language):
    page = open_page(language, signed_in=sample.moderator_state if screen.moderator else None)
    refused: list[str] = []  # what the page's Content-Security-Policy blocked (a broken page)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    url = HUB + screen.path.format(**sample.values)
    response = page.goto(url)
    ready(page)
    assert response.ok, f"{url}: {response.status}"
    assert page.url == url  # not sent elsewhere (to sign in, say)
    assert page.locator("html").get_attribute("lang") == language
    if screen.then:
        screen.then(page)
    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']}; at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in BLOCKING and v["id"] not in screen.allowed
    ]
    others = sorted(f"{v['id']} ({v['impact']})" for v in violations if v["impact"] not in BLOCKING)
    assert not blocking, "\n".join([*blocking, f"less severe: {others}"])
    assert not refused, f"the page broke its own Content-Security-Policy: {refused}"
