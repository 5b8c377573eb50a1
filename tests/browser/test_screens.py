# SPDX-License-Identifier: EUPL-1.2
"""What a citizen sees first, at a desktop's width and a small phone's (320 px), in German:
the start page, a tenant page and the report form. Each shows its services and a map with
something on it (the hub's own context layers, with or without a base map), and nothing is
wider than the screen. The screenshots are kept for people to look at."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.steps import HUB, SLUG, ready

pytestmark = pytest.mark.integration
WIDTHS = [1280, 320]
SHOTS = settings.STATE_DIR / "screenshots"


def colours_of(png: bytes) -> int:
    """How many distinct colours a picture has: a blank or grey box has a handful."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 120))
    return len({image.tobytes()[i : i + 3] for i in range(0, 160 * 120 * 3, 3)})


def check_map(page: Page, selector: str, name: str) -> None:
    area = page.locator(selector)
    expect(area).to_be_visible()
    # The context layers arrived (each its own overlay) and drew shapes into the map.
    assert int(area.get_attribute("data-layers") or 0) >= 1
    assert area.locator(".leaflet-overlay-pane path").count() >= 1
    picture = area.screenshot()
    (SHOTS / f"{name}-map.png").write_bytes(picture)
    assert colours_of(picture) > 20, f"{name}: the map looks blank"


def check_width(page: Page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide} px wide on a {width} px screen"


@pytest.fixture
def screen(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts = []

    def open_(width: int) -> Page:
        context = browser.new_context(
            locale="de", viewport={"width": width, "height": 900 if width > 400 else 640}
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_start_page_shows_the_services_and_a_map(screen, width):
    page = screen(width)
    page.goto(f"{HUB}/")
    ready(page)
    services = page.locator("section[aria-labelledby=services-heading]")
    expect(services.get_by_role("link", name="Offene Daten")).to_be_visible()
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("link", name="Stadt Haldensleben")).to_be_visible()
    check_map(page, "#map", f"start-{width}")
    check_width(page, width)
    page.screenshot(path=SHOTS / f"start-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_tenant_page_lists_its_services_problem_melden_first(screen, width):
    page = screen(width)
    page.goto(f"{HUB}/t/{SLUG}/")
    ready(page)
    listed = page.locator("section[aria-labelledby=services-heading] li a")
    expect(listed.first).to_have_text("Problem melden")
    titles = listed.all_inner_texts()
    for service in ("Gemeldete Probleme", "Beteiligungsverfahren", "Aktuelle Messwerte"):
        assert service in titles
    check_map(page, "#map", f"tenant-{width}")
    check_width(page, width)
    page.screenshot(path=SHOTS / f"tenant-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_report_form_has_a_map_to_tap_and_a_way_without_it(screen, width):
    page = screen(width)
    page.goto(f"{HUB}/t/{SLUG}/melden/")
    ready(page)
    check_map(page, "#report-map", f"report-form-{width}")
    # The non-map path: an address, a stop nearby, or coordinates.
    expect(page.get_by_label("in der Nähe der Haltestelle")).to_be_visible()
    expect(page.get_by_label("Breitengrad")).to_be_visible()
    check_width(page, width)
    page.screenshot(path=SHOTS / f"report-form-{width}.png", full_page=True)
