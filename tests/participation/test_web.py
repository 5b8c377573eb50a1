# SPDX-License-Identifier: EUPL-1.2
"""The citizen's pages and the moderation queue, through Django's test client (no JavaScript:
the text path must work on its own)."""

from __future__ import annotations

import pytest

from hub.participation.models import Report, ReportEvent, Status
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Role
from tests.participation.conftest import HALDENSLEBEN
from tests.participation.test_photos import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def category_id(client, slug="haldensleben", name="Illegale Müllablagerung") -> str:
    page = client.get(f"/t/{slug}/melden/").content.decode()
    before = page.split(f">{name}</option>")[0]
    return before.rsplit('value="', 1)[1].split('"')[0]


def test_a_citizen_reports_without_javascript_near_a_bus_stop(
    client, categories, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    page = client.get("/t/haldensleben/melden/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="de"' in html
    assert "Haltestelle" in html
    stop = html.split('name="near_stop"')[1].split('<option value="')[2].split('"')[0]
    response = client.post(
        "/t/haldensleben/melden/",
        {
            "category": category_id(client),
            "description": "Sperrmüll <b>neben</b> dem Wartehäuschen",
            "near_stop": stop,
            "email": "erika@example.org",
            "consent": "on",
            "photos": [upload("a.jpg", jpeg_with_gps())],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine = client.get(response["Location"])
    assert "eingegangen" in mine.content.decode()
    with system_context():
        report = Report.objects.get()
        assert report.photos.count() == 1
    assert report.tenant.slug == "haldensleben"
    assert report.reporter_email == "erika@example.org"
    assert report.consent_text.startswith("Ich willige ein")
    # The reporter deletes their data from their own page.
    client.post(response["Location"], {"action": "delete"})
    with system_context():
        assert Report.objects.get().reporter_email == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Haltestelle in der Nähe"),
        ({"lat": "52.29"}, "gehören zusammen"),
        ({"lat": "52.52", "lon": "13.38"}, "nicht im Gebiet von Stadt Haldensleben"),
        ({"lat": "52.29", "lon": "11.41", "email": "a@example.org"}, "Einwilligung"),
    ],
)
def test_the_form_explains_what_is_wrong_and_stores_nothing(client, categories, fields, message):
    response = client.post(
        "/t/haldensleben/melden/",
        {"category": category_id(client), "description": "Leuchte aus", **fields},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    with system_context():
        assert not Report.objects.exists()


def test_only_reviewed_reports_are_listed_and_html_is_escaped(client, categories, make_user):
    client.post(
        "/t/haldensleben/melden/",
        {
            "category": category_id(client),
            "description": '<script>alert("x")</script>',
            "lat": str(HALDENSLEBEN[0]),
            "lon": str(HALDENSLEBEN[1]),
            "name": "Erika Musterfrau",
            "consent": "on",
        },
    )
    with system_context():
        report = Report.objects.get()
    assert f"#{report.pk}" not in client.get("/t/haldensleben/meldungen/").content.decode()
    assert client.get(f"/t/haldensleben/meldungen/{report.pk}/").status_code == 404
    # A moderator of Haldensleben reviews and sets "in progress" in the queue.
    moderator = make_user("mod-haldensleben")
    with system_context():
        Membership.objects.create(
            user=moderator, tenant=categories["haldensleben"], role=Role.MODERATOR
        )
    client.force_login(moderator, backend=MODEL_BACKEND)
    queue = client.get("/t/haldensleben/moderation/").content.decode()
    assert f"#{report.pk}" in queue
    assert "&lt;script&gt;" in queue
    for status in (Status.REVIEWED, Status.IN_PROGRESS):
        client.post(
            "/t/haldensleben/moderation/",
            {"report": report.pk, "status": status, "note": "Wir kümmern uns."},
        )
    client.logout()
    listing = client.get("/t/haldensleben/meldungen/").content.decode()
    assert f"#{report.pk}" in listing
    detail = client.get(f"/t/haldensleben/meldungen/{report.pk}/").content.decode()
    assert "in Bearbeitung" in detail
    # The public history names each step as people read it, never the internal code.
    history = detail[detail.index("<ol>") : detail.index("</ol>")]
    assert "geprüft" in history
    assert "in Bearbeitung" in history
    assert "reviewed" not in history
    assert "in_progress" not in history
    assert "Wir kümmern uns." in detail
    assert "&lt;script&gt;" in detail
    assert "<script>alert" not in detail
    assert "Erika" not in detail
    with system_context():
        assert list(ReportEvent.objects.filter(report=report).values_list("actor", flat=True)) == [
            "citizen",
            "mod-haldensleben",
            "mod-haldensleben",
        ]


def test_the_moderation_queue_is_for_moderators_of_the_tenant_only(client, categories, make_user):
    anonymous = client.get("/t/haldensleben/moderation/")
    assert anonymous.status_code == 302  # to the sign-in
    assert anonymous["Location"] == "/oidc/authenticate/?next=/t/haldensleben/moderation/"
    other = make_user("mod-hohe-boerde")
    citizen = make_user("buerger")
    district = make_user("mod-landkreis")
    with system_context():
        Membership.objects.create(user=other, tenant=categories["hohe-boerde"], role=Role.MODERATOR)
        Membership.objects.create(
            user=citizen, tenant=categories["haldensleben"], role=Role.CITIZEN
        )
        Membership.objects.create(
            user=district, tenant=categories["landkreis-boerde"], role=Role.MODERATOR
        )
    for user, status in ((other, 403), (citizen, 403), (district, 200)):
        client.force_login(user, backend=MODEL_BACKEND)
        assert client.get("/t/haldensleben/moderation/").status_code == status
        client.logout()


def test_english_pages(client, categories):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/t/haldensleben/melden/").content.decode()
    assert 'lang="en"' in html
    assert "Report a problem: Stadt Haldensleben" in html
    assert "Send report" in html


def test_the_moderation_queue_pages_and_offers_only_allowed_steps(client, categories, make_user):
    from hub.participation import services as participation

    tenant = categories["haldensleben"]
    with system_context():
        category = participation.category_of(tenant, "muell")
        made = [
            participation.submit(
                tenant=tenant,
                category=category,
                location=participation.point(52.2894, 11.4097),
                description=f"Meldung {n}",
            )
            for n in range(53)
        ]
    moderator = make_user("mod-pages", (tenant, Role.MODERATOR))
    client.force_login(moderator, backend=MODEL_BACKEND)
    first = client.get("/t/haldensleben/moderation/")
    assert "53 offene Meldungen" in first.text
    assert len(first.context["queue"]) == 50
    assert f"#{made[0].pk} " in first.text  # the oldest first
    assert "Seite 1 von 2" in first.text
    second = client.get("/t/haldensleben/moderation/?seite=2")
    assert [r.pk for r in second.context["queue"]] == [r.pk for r in made[50:]]
    steps = {value for value, _label in second.context["queue"][0].next_steps}
    # From "submitted" a report is reviewed, closed or marked; "fixed" needs a review first.
    assert steps == {"submitted", "reviewed", "duplicate", "not_responsible", "closed"}
