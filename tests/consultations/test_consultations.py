# SPDX-License-Identifier: EUPL-1.2
"""Consultations through the web pages a citizen and the staff use, against PostgreSQL."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from hub.consultations import services
from hub.consultations.models import Moderation, Phase, Proposal, Support
from hub.core.errors import HubError
from hub.tenancy.context import system_context, tenant_context
from tests.consultations.conftest import MARKT, OUTSIDE

pytestmark = pytest.mark.django_db
BASE = "/t/haldensleben/beteiligung/markt"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # staff sign in like this in tests


def propose(client, **fields):
    body = {"title": "Mehr Bäume", "text": "Schatten für den Wochenmarkt", **fields}
    return client.post(f"{BASE}/vorschlagen/", body)


def published(consultation, author, title="Mehr Bäume", where=MARKT) -> Proposal:
    with system_context():
        made = services.propose(
            consultation, author, title=title, text="Text", location=Point(where[1], where[0])
        )
        services.moderate(made, Moderation.PUBLISHED)
    return made


def test_reading_needs_no_account_proposing_does(client, consultation):
    page = client.get(f"{BASE}/")
    assert page.status_code == 200
    assert "Neugestaltung des Marktplatzes" in page.text
    assert 'aria-current="step"' in page.text  # the phase is marked for screen readers
    assert client.get(f"{BASE}/vorschlagen/").status_code == 302
    assert propose(client, lat=MARKT[0], lon=MARKT[1]).status_code == 302
    with system_context():
        assert not Proposal.objects.exists()


def test_a_proposal_is_moderated_before_anyone_sees_it_and_never_shows_its_author(
    client, consultation, people
):
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    sent = propose(client, lat=MARKT[0], lon=MARKT[1], place="vor dem Rathaus")
    assert sent.status_code == 302
    with system_context():
        proposal = Proposal.objects.get()
    assert proposal.state == Moderation.PENDING
    assert "Mehr Bäume" not in client.get(f"{BASE}/").text
    assert client.get(f"{BASE}/vorschlaege/{proposal.pk}/").status_code == 404
    client.force_login(people["moderator"], backend=MODEL_BACKEND)
    queue = client.get(f"{BASE}/moderation/")
    assert "Mehr Bäume" in queue.text
    client.post(
        f"{BASE}/moderation/", {"kind": "proposal", "item": proposal.pk, "state": "published"}
    )
    client.logout()
    page = client.get(f"{BASE}/")
    assert "Mehr Bäume" in page.text
    assert "vor dem Rathaus" in page.text
    shown = client.get(f"{BASE}/vorschlaege/{proposal.pk}/").text
    summary = client.get(f"{BASE}/zusammenfassung/").text
    geojson = client.get(f"{BASE}/karte.geojson").json()
    for text in (page.text, shown, summary, str(geojson)):
        assert "erika" not in text
    assert [f["properties"]["title"] for f in geojson["features"][1:]] == ["Mehr Bäume"]


def test_without_a_map_a_stop_in_the_area_gives_the_place(client, consultation, people):
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    form = client.get(f"{BASE}/vorschlagen/")
    assert form.status_code == 200
    stops = form.context["form"].stops
    assert stops, "the old town has bus stops"
    stop_id, stop = next(iter(stops.items()))
    assert propose(client, near_stop=stop_id).status_code == 302
    with system_context():
        proposal = Proposal.objects.get()
    assert proposal.location.coords == pytest.approx((stop.lon, stop.lat))
    assert proposal.place.endswith(stop.properties["name"])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "near_stop", "außerhalb des Gebiets"),
        ({}, "near_stop", "Haltestelle"),
        ({"lat": MARKT[0]}, None, "gehören zusammen"),
        ({"lat": 91, "lon": 11}, "lat", ""),
        ({"lat": MARKT[0], "lon": MARKT[1], "title": ""}, "title", ""),
        ({"lat": MARKT[0], "lon": MARKT[1], "text": "x" * 4001}, "text", "4000"),
        ({"lat": MARKT[0], "lon": MARKT[1], "text": "a\x00b"}, "text", ""),
    ],
)
def test_bad_proposals_are_refused_with_a_reason_and_nothing_stored(
    client, consultation, people, fields, field, message
):
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    answer = propose(client, **fields)
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert field in errors if field else "__all__" in errors
    assert message in " ".join(e for values in errors.values() for e in values)
    assert 'role="alert"' in answer.text
    with system_context():
        assert not Proposal.objects.exists()


def test_html_is_stored_as_text_and_escaped(client, consultation, people):
    with system_context():
        made = services.propose(
            consultation,
            people["erika"],
            title="<script>alert(1)</script>",
            text="<b>fett</b>",
            location=Point(MARKT[1], MARKT[0]),
        )
        services.moderate(made, Moderation.PUBLISHED)
    page = client.get(f"{BASE}/vorschlaege/{made.pk}/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;fett&lt;/b&gt;" in page


def test_one_support_per_account(client, consultation, people):
    proposal = published(consultation, people["max"])
    url = f"{BASE}/vorschlaege/{proposal.pk}/unterstuetzen/"
    assert client.post(url).status_code == 302  # anonymous: to the sign-in
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    client.post(url)
    client.post(url)  # twice: still one
    client.force_login(people["max"], backend=MODEL_BACKEND)
    client.post(url)
    with system_context():
        assert Support.objects.filter(proposal=proposal).count() == 2
    assert "2 Unterstützungen" in client.get(f"{BASE}/vorschlaege/{proposal.pk}/").text
    client.post(url, {"withdraw": "1"})
    with system_context():
        assert list(Support.objects.values_list("user__username", flat=True)) == ["erika"]
    with system_context(), pytest.raises(HubError):
        services.support(proposal, None)


def test_comments_are_moderated_too(client, consultation, people):
    proposal = published(consultation, people["max"])
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    client.post(f"{BASE}/vorschlaege/{proposal.pk}/kommentieren/", {"text": "Gute Idee!"})
    assert "Gute Idee!" not in client.get(f"{BASE}/vorschlaege/{proposal.pk}/").text
    too_long = client.post(f"{BASE}/vorschlaege/{proposal.pk}/kommentieren/", {"text": "x" * 2001})
    assert too_long.status_code == 302
    client.force_login(people["moderator"], backend=MODEL_BACKEND)
    queue = client.get(f"{BASE}/moderation/")
    assert "Gute Idee!" in queue.text
    comment = queue.context["comments"][0]
    client.post(
        f"{BASE}/moderation/", {"kind": "comment", "item": comment.pk, "state": "published"}
    )
    assert "Gute Idee!" in client.get(f"{BASE}/vorschlaege/{proposal.pk}/").text
    assert "Gute Idee!" in client.get(f"{BASE}/zusammenfassung/").text


def test_phases_open_and_close_contributions(client, consultation, people):
    proposal = published(consultation, people["max"])
    client.force_login(people["moderator"], backend=MODEL_BACKEND)
    client.post(f"{BASE}/moderation/", {"phase": "evaluation", "result": ""})
    with system_context():
        consultation.refresh_from_db()
    assert consultation.phase == Phase.EVALUATION
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    assert client.get(f"{BASE}/vorschlagen/").status_code == 302  # back to the page
    with system_context(), pytest.raises(HubError) as refused:
        services.support(proposal, people["erika"])
    assert refused.value.status == 409
    assert "Beteiligung" in refused.value.message
    client.force_login(people["moderator"], backend=MODEL_BACKEND)
    client.post(
        f"{BASE}/moderation/", {"phase": "result", "result": "Es werden 12 Bäume gepflanzt."}
    )
    summary = client.get(f"{BASE}/zusammenfassung/").text
    assert "Es werden 12 Bäume gepflanzt." in summary
    assert "Mehr Bäume" in summary


def test_moderation_is_for_the_tenants_staff_only(client, consultation, people):
    assert client.get(f"{BASE}/moderation/").status_code == 302  # sign in first
    client.force_login(people["erika"], backend=MODEL_BACKEND)
    assert client.get(f"{BASE}/moderation/").status_code == 403
    assert client.post(f"{BASE}/moderation/", {"phase": "result"}).status_code == 403
    client.force_login(people["moderator_elsewhere"], backend=MODEL_BACKEND)
    assert client.get(f"{BASE}/moderation/").status_code == 403
    assert client.get("/t/haldensleben/beteiligung/neu/").status_code == 403


def test_a_tenants_consultation_stays_in_that_tenant(client, seeded, consultation, people):
    published(consultation, people["max"])
    assert client.get("/t/hohe-boerde/beteiligung/markt/").status_code == 404
    assert "Marktplatz" not in client.get("/t/hohe-boerde/beteiligung/").text
    with tenant_context([seeded["hohe-boerde"].pk]):
        assert not Proposal.objects.exists()  # row-level security, the second wall


def test_staff_open_a_consultation_with_an_area(client, seeded, people):
    client.force_login(people["moderator"], backend=MODEL_BACKEND)
    body = {
        "title": "Radweg an der Ohre",
        "slug": "radweg-ohre",
        "summary": "Wo soll der neue Radweg entlang führen?",
        "phase": "participation",
        "participation_until": "31.12.2026",
    }
    bad = client.post("/t/haldensleben/beteiligung/neu/", {**body, "area": "{kein json"})
    assert bad.status_code == 400
    assert "GeoJSON" in bad.text
    far = '{"type": "Polygon", "coordinates": [[[13,52],[13.1,52],[13.1,52.1],[13,52]]]}'
    elsewhere = client.post("/t/haldensleben/beteiligung/neu/", {**body, "area": far})
    assert elsewhere.status_code == 400
    assert "außerhalb" in elsewhere.text
    area = (
        '{"type": "Polygon", "coordinates": '
        "[[[11.39,52.28],[11.42,52.28],[11.42,52.30],[11.39,52.28]]]}"
    )
    made = client.post("/t/haldensleben/beteiligung/neu/", {**body, "area": area})
    assert made.status_code == 302
    page = client.get(made["Location"])
    assert "Radweg an der Ohre" in page.text
    assert "31.12.2026" in page.text
    again = client.post("/t/haldensleben/beteiligung/neu/", {**body, "area": area})
    assert again.status_code == 400
    assert "Kurznamen" in again.text


def test_the_page_speaks_english_too(client, consultation):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"{BASE}/")
    assert 'lang="en"' in page.text
    assert "Summary to read and print" in page.text
