# SPDX-License-Identifier: EUPL-1.2
"""The departure board in a real browser: it keeps itself current, and the reader can pause it
(WCAG 2.2.1); the journey planner answers from a plain form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import HUB, SLUG, ready

pytestmark = pytest.mark.integration
ZOB = "de:15083:1555"


def test_the_live_board_refreshes_and_can_be_paused(open_page):
    page = open_page("de")
    page.clock.install()  # the page's timers run on the test's clock, not on the wall's
    page.goto(f"{HUB}/t/{SLUG}/mobilitaet/abfahrten/{ZOB}/")
    ready(page)
    toggle = page.get_by_role("button", name="Aktualisierung anhalten")
    expect(toggle).to_be_visible()
    with page.expect_request(lambda r: r.url.endswith(f"/abfahrten/{ZOB}/")):
        page.clock.run_for(61_000)  # one round of the minute's refresh
    toggle.click()
    expect(page.get_by_role("button", name="Aktualisierung fortsetzen")).to_have_attribute(
        "aria-pressed", "true"
    )
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/abfahrten/" in r.url else None)
    page.clock.run_for(180_000)
    assert asked == []  # paused: nothing fetched


def test_the_journey_planner_answers_from_its_form(open_page):
    page = open_page("de")
    page.goto(f"{HUB}/t/{SLUG}/mobilitaet/verbindung/")
    ready(page)
    page.get_by_label("Von").fill("Haldensleben, ZOB")
    page.get_by_label("Nach").fill("Magdeburg, Hasselbachplatz")
    page.get_by_label("Zeit", exact=True).fill("2026-06-10T07:00")
    page.get_by_role("button", name="Verbindung suchen").click()
    ready(page)
    expect(page.locator("ol.journeys > li").first).to_contain_text("Umstieg")
    expect(page.locator("ol.journeys")).to_contain_text("Linie 600")


def test_departures_near_me_take_the_browsers_position(browser):
    context = browser.new_context(
        locale="de",
        geolocation={"latitude": 52.2862, "longitude": 11.4090},  # some 180 m from the ZOB
        permissions=["geolocation"],
    )
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(f"{HUB}/t/{SLUG}/mobilitaet/")
        ready(page)
        page.get_by_role("button", name="Meinen Standort verwenden").click()
        page.wait_for_url(re.compile(r"/in-der-naehe/\?ort=geo%3A52\.28620%2C11\.40900$"))
        ready(page)
        expect(page.locator("ol.near-stations")).to_contain_text("Haldensleben, ZOB")
    finally:
        context.close()


def test_without_a_position_the_form_asks_for_a_place(browser):
    context = browser.new_context(locale="de")  # no permission: the browser refuses
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(f"{HUB}/t/{SLUG}/mobilitaet/in-der-naehe/")
        ready(page)
        page.get_by_role("button", name="Meinen Standort verwenden").click()
        expect(page.get_by_role("status").filter(has_text="nicht verfügbar")).to_be_visible()
        expect(page.get_by_label("Abfahrten in der Nähe von")).to_be_focused()
    finally:
        context.close()


def test_the_network_map_links_stations_to_their_boards(open_page):
    page = open_page("de")
    page.goto(f"{HUB}/t/{SLUG}/mobilitaet/")
    ready(page)
    network = page.locator("#network-map")
    expect(network).to_have_attribute("data-network", re.compile(r"^[1-9]\d*$"))
    marker = page.locator("#network-map path.station-marker").first
    marker.dispatch_event("click")  # a line or a neighbour may lie over it at this zoom
    link = page.locator("#network-map .leaflet-popup-content a")
    expect(link).to_have_attribute("href", re.compile(rf"^/t/{SLUG}/mobilitaet/abfahrten/.+/$"))
