# SPDX-License-Identifier: EUPL-1.2
"""Issue #5 in the browser: a citizen reports on the map, a moderator of the town signs in
through Keycloak and works on the report, the citizen follows it on their own page and by mail.
And the same without the map: by keyboard, and without JavaScript by the text fields alone."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.steps import (
    HUB,
    MARKTPLATZ,
    SLUG,
    describe,
    leave_address,
    moderate,
    ready,
    send,
    sign_in,
    sign_out,
)
from tests.participation.test_mail import mails_to

pytestmark = pytest.mark.integration
FORM = f"{HUB}/t/{SLUG}/melden/"


def open_form_with_map(page: Page) -> None:
    page.goto(FORM)
    # The map shows the town's boundary once its GeoJSON is in, and has zoomed to it.
    expect(page.locator("#report-map .leaflet-overlay-pane path").first).to_be_visible()
    ready(page)
    expect(page.locator("#report-map.leaflet-zoom-anim")).to_have_count(0)


def chosen_place(page: Page) -> tuple[float, float]:
    return (
        float(page.get_by_label("Breitengrad").input_value()),
        float(page.get_by_label("Längengrad").input_value()),
    )


def in_haldensleben(place: tuple[float, float]) -> bool:
    lat, lon = place
    return 52.2 < lat < 52.4 and 11.3 < lon < 11.6


def mails_about(address: str, count: int) -> list:
    """The reporter's mails in the SMTP sink, once `count` of them have arrived (or 10 s)."""
    deadline = time.monotonic() + 10
    while len(found := mails_to(settings.HUB_MAIL_DIR, address, wait=0)) < count:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return found


def test_a_click_on_the_map_or_enter_on_it_fills_the_coordinates(open_page):
    page = open_page("de")
    open_form_with_map(page)
    area = page.locator("#report-map")
    expect(page.get_by_label("Breitengrad")).to_have_value("")
    area.click()  # in the middle
    middle = chosen_place(page)
    assert in_haldensleben(middle), middle
    marker = area.locator("img.leaflet-marker-icon")
    expect(marker).to_have_count(1)
    # The icon really loads (Leaflet's own guess of its address fails with hashed static names).
    width = marker.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert width > 0, f"the marker icon did not load: {marker.get_attribute('src')}"
    expect(marker).to_have_attribute("alt", "Gewählter Ort")
    # Further right and lower down on the map is further east and further south.
    box = area.bounding_box()
    area.click(position={"x": box["width"] / 2 + 120, "y": box["height"] / 2 + 60})
    south, east = chosen_place(page)
    assert east > middle[1]
    assert south < middle[0]
    expect(marker).to_have_count(1)  # the marker moved, none was added
    # By keyboard: Enter on the focused map takes its centre, the arrows move the map first.
    area.focus()
    page.keyboard.press("Enter")
    assert chosen_place(page) == pytest.approx(middle, abs=2e-4)
    expect(page.get_by_role("status")).to_contain_text("Ort übernommen: Breitengrad")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(400)  # Leaflet pans in a quarter of a second
    page.keyboard.press("Enter")
    assert chosen_place(page)[1] > middle[1]


def test_citizen_reports_on_the_map_and_follows_the_moderation(open_page, moderator, run_tag):
    citizen = open_page("de")
    open_form_with_map(citizen)
    description = f"Sperrmüll am Waldweg hinter dem Sportplatz [{run_tag}]"
    describe(citizen, description)
    citizen.locator("#report-map").click()
    place = chosen_place(citizen)
    assert in_haldensleben(place), place
    address = f"{run_tag}-erika@example.org"
    leave_address(citizen, address)
    report = send(citizen)
    expect(citizen.locator("#status")).to_have_text("eingegangen")

    staff = open_page("de")
    sign_in(staff, moderator, then=f"/t/{SLUG}/moderation/")
    card = staff.locator(f"section[aria-labelledby='r{report.id}']")
    expect(card).to_contain_text(description)
    # ... at the place clicked on the map (in German, with decimal commas).
    shown = re.search(r"\((\d+,\d+), (\d+,\d+)\)", card.inner_text())
    assert shown, card.inner_text()
    assert [float(n.replace(",", ".")) for n in shown.groups()] == pytest.approx(place, abs=2e-5)
    expect(card).to_contain_text("eingegangen")
    expect(card).not_to_contain_text(address)  # the moderator needs the matter, not the person
    moderate(staff, report.id, "geprüft")
    note = "Der Bauhof holt den Sperrmüll am Donnerstag ab."
    moderate(staff, report.id, "in Bearbeitung", note)
    expect(card).to_contain_text("in Bearbeitung")

    citizen.goto(report.status_page)
    expect(citizen.locator("#status")).to_have_text("in Bearbeitung")
    expect(citizen.get_by_text(note)).to_be_visible()
    citizen.get_by_role("link", name="Öffentliche Seite der Meldung").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        f"Meldung #{report.id}: Illegale Müllablagerung"
    )
    expect(citizen.locator("main")).not_to_contain_text(address)

    mails = {m["Subject"]: m for m in mails_about(address, 2)}  # sent by Celery, any order
    assert sorted(mails) == [
        f"Ihre Meldung #{report.id}: geprüft",
        f"Ihre Meldung #{report.id}: in Bearbeitung",
    ]
    progress = mails[f"Ihre Meldung #{report.id}: in Bearbeitung"]
    assert note in progress.get_content()
    assert report.status_page in progress.get_content()
    sign_out(staff)


def test_without_javascript_a_report_goes_in_by_the_text_fields(open_page, run_tag):
    page = open_page("de", javascript=False)
    page.goto(FORM)
    expect(page.locator("#report-map")).to_be_empty()  # no map, and nothing missing for it
    description = f"Glascontainer überfüllt [{run_tag}]"
    describe(page, description)
    page.get_by_role("button", name="Meldung absenden").click()
    # Without a place the form says so, keeps what was written, and links to the field.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Bitte den Ort auf der Karte antippen")
    expect(alert.get_by_role("link", name="… oder in der Nähe der Haltestelle")).to_have_attribute(
        "href", "#id_near_stop"
    )
    description_field = page.get_by_label(re.compile(r"^Beschreibung"))
    expect(description_field).to_have_value(description)
    # Screen readers hear each field's hint and error with the field itself.
    expect(description_field).to_have_accessible_name("Beschreibung (Pflichtfeld)")
    expect(description_field).to_have_accessible_description(
        "Was ist los, und wo genau? Bitte keine Namen anderer Personen."
    )
    stop = page.get_by_label("… oder in der Nähe der Haltestelle")
    expect(stop).to_have_attribute("aria-invalid", "true")
    expect(stop).to_have_accessible_description(re.compile(r"^Bitte den Ort auf der Karte"))
    page.get_by_label("Breitengrad").fill(str(MARKTPLATZ[0]))
    page.get_by_label("Längengrad").fill(str(MARKTPLATZ[1]))
    page.get_by_label("Adresse oder Ortsbeschreibung").fill("Marktplatz, vor dem Rathaus")
    send(page)
    expect(page.locator("#status")).to_have_text("eingegangen")
    expect(page.locator("main")).to_contain_text("Illegale Müllablagerung")


def test_the_citizen_switches_the_form_to_english(open_page):
    page = open_page("de")
    page.goto(FORM)
    switch = page.get_by_label("Sprache")
    # Each language is offered in its own words (and marked up as that language).
    expect(switch.locator("option[lang=en]")).to_have_text("English")
    switch.select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page).to_have_url(FORM)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Send report")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Description"))).to_have_accessible_name(
        "Description (required)"
    )
    # The map works in English too, and says so in English.
    page.locator("#report-map").click()
    expect(page.get_by_role("status")).to_contain_text("Place taken: latitude")
