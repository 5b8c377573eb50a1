# SPDX-License-Identifier: EUPL-1.2
"""Open311 GeoReport v2 against the real database (PostGIS routing, row-level security)."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from hub.core.errors import HubError
from hub.participation import services
from hub.participation.models import Report, ReportEvent, Status
from hub.tenancy.context import system_context, tenant_context
from tests.participation.conftest import BERLIN, HALDENSLEBEN, HOHE_BOERDE

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def post(client, address, fmt="json", **fields):
    body = {"service_code": "strassenbeleuchtung", "description": "Leuchte aus", **fields}
    return client.post(f"{BASE}/requests.{fmt}", body, REMOTE_ADDR=address)


def at(point):
    return {"lat": str(point[0]), "long": str(point[1])}


def count() -> int:
    with system_context():
        return Report.objects.count()


def review(report_id: int, to=Status.REVIEWED) -> Report:
    with system_context():
        report = Report.objects.get(pk=report_id)
    return services.transition(report, to, actor="moderator", note="geprüft")


def test_discovery_in_json_and_xml(client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["application/json", "text/xml"]


def test_services_of_a_jurisdiction(client, categories):
    services_json = client.get(f"{BASE}/services.json?jurisdiction_id=haldensleben").json()
    assert [s["service_code"] for s in services_json] == [
        "fundsache",
        "gruen",
        "muell",
        "schaeden",
        "sonstiges",
        "strassenbeleuchtung",
    ]
    root = ET.fromstring(client.get(f"{BASE}/services.xml?jurisdiction_id=haldensleben").content)
    assert len(root.findall("service")) == 6
    definition = client.get(
        f"{BASE}/services/strassenbeleuchtung.json?jurisdiction_id=haldensleben"
    ).json()
    assert definition["attributes"][0]["code"] == "asset_id"
    for fmt in ("json", "xml"):  # GeoReport v2: 404 for a service_code not found
        ufo = client.get(f"{BASE}/services/ufo.{fmt}?jurisdiction_id=haldensleben")
        assert ufo.status_code == 404
        assert "no service 'ufo'" in ufo.content.decode()
    missing = client.get(f"{BASE}/services.json")
    assert missing.status_code == 400
    assert "jurisdiction_id" in missing.json()[0]["description"]
    unknown = client.get(f"{BASE}/services.json?jurisdiction_id=atlantis")
    assert unknown.status_code == 404
    assert "haldensleben" in unknown.json()[0]["description"]  # names the known ones


@pytest.mark.parametrize(
    ("point", "slug"), [(HALDENSLEBEN, "haldensleben"), (HOHE_BOERDE, "hohe-boerde")]
)
def test_a_report_goes_to_the_municipality_that_contains_the_point(
    client, categories, address, point, slug
):
    response = post(client, address, **at(point))
    assert response.status_code == 201, response.content
    created = response.json()[0]
    with system_context():
        report = Report.objects.get(pk=created["service_request_id"])
    assert report.tenant.slug == slug  # not the district or the network that also contain it
    assert str(report.token) == created["token"]
    assert report.status == Status.SUBMITTED
    assert [e.action for e in ReportEvent.objects.none()] == []


def test_a_point_outside_the_region_is_refused_and_nothing_stored(client, categories, address):
    before = count()
    response = post(client, address, **at(BERLIN))
    assert response.status_code == 400
    assert "outside every municipality" in response.json()[0]["description"]
    assert count() == before


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "ufo"}, 404, "no service 'ufo'"),
        ({"lat": "52.29", "long": ""}, 400, "lat and long go together"),
        ({"lat": "95", "long": "11.4"}, 400, "outside -90"),
        ({"lat": "abc", "long": "11.4"}, 400, "decimal number"),
        ({"lat": "nan", "long": "11.4"}, 400, "finite"),
        ({"lat": "", "long": "", "address_string": "Markt 1"}, 400, "lat and long"),
        ({"jurisdiction_id": "atlantis"}, 404, "unknown jurisdiction_id"),
        ({"jurisdiction_id": "hohe-boerde"}, 400, "outside the area of"),
        ({"description": "   "}, 400, "describe the problem"),
        ({"description": "x" * 4001}, 400, "at most 4000"),
        ({"description": "kaputt\x00"}, 400, "NUL"),
        ({"email": "keine adresse"}, 400, "not an e-mail address"),
        ({"api_key": "dev-erfunden"}, 403, "unknown or revoked api_key"),
    ],
)
def test_bad_requests_are_4xx_with_a_message_and_store_nothing(
    client, categories, address, fields, status, words
):
    before = count()
    for fmt in ("json", "xml"):
        response = post(client, address, fmt=fmt, **{**at(HALDENSLEBEN), **fields})
        assert response.status_code == status
        if fmt == "json":
            assert words in response.json()[0]["description"]
        else:
            error = ET.fromstring(response.content).find("error")
            assert error.find("code").text == str(status)
            assert words in error.find("description").text
    assert count() == before


def test_only_reviewed_reports_are_public_and_never_the_reporter(client, categories, address):
    created = post(
        client,
        address,
        **at(HALDENSLEBEN),
        first_name="Erika",
        last_name="Musterfrau",
        email="erika@example.org",
        phone="+49 3904 1234",
        description='<script>alert("x")</script> Leuchte & Mast',
    ).json()[0]
    listing = client.get(f"{BASE}/requests.json?jurisdiction_id=haldensleben").json()
    assert created["service_request_id"] not in [r["service_request_id"] for r in listing]
    assert client.get(f"{BASE}/requests/{created['service_request_id']}.json").status_code == 404
    review(int(created["service_request_id"]))
    for path in (
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml",
        f"{BASE}/requests/{created['service_request_id']}.json",
        f"{BASE}/requests/{created['service_request_id']}.xml",
    ):
        body = client.get(path).content.decode()
        assert created["service_request_id"] in body
        for personal in ("Erika", "Musterfrau", "erika@example.org", "3904"):
            assert personal not in body
    item = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()[0]
    assert item["description"] == '<script>alert("x")</script> Leuchte & Mast'  # text as given
    assert item["status"] == "open"
    xml = client.get(f"{BASE}/requests/{created['service_request_id']}.xml").content
    assert b"<script>" not in xml  # escaped in XML
    assert ET.fromstring(xml).find("request/description").text.startswith("<script>")


def test_get_requests_filters(client, categories, address):
    ids = [
        post(client, address, **at(HALDENSLEBEN), service_code=code).json()[0]["service_request_id"]
        for code in ("strassenbeleuchtung", "muell", "gruen")
    ]
    for report_id in ids:
        review(int(report_id))
    review(int(ids[2]), Status.FIXED)

    def found(query: str) -> set[str]:
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()} & set(ids)

    assert found("") == set(ids)
    assert found("status=open") == set(ids[:2])
    assert found("status=closed") == {ids[2]}
    assert found("service_code=muell") == {ids[1]}
    assert found("bbox=11.35,52.25,11.45,52.33") == set(ids)
    assert found("bbox=11.50,52.10,11.60,52.20") == set()
    assert found(f"service_request_id={ids[0]},{ids[2]}") == {ids[0], ids[2]}
    assert found("jurisdiction_id=hohe-boerde") == set()
    later = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert found(f"start_date={later}") == set()
    for bad, words in (
        ("start_date=2020-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "at most 90 days"),
        ("start_date=gestern", "W3C date-time"),
        ("status=kaputt", "open, closed"),
        ("bbox=1,2,3", "bbox must be"),
        ("service_request_id=1;DROP", "list of numbers"),
    ):
        response = client.get(f"{BASE}/requests.json?{bad}")
        assert response.status_code == 400
        assert words in response.json()[0]["description"]


def test_token_leads_to_the_request(client, categories, address):
    created = post(client, address, **at(HALDENSLEBEN)).json()[0]
    answer = client.get(f"{BASE}/tokens/{created['token']}.json").json()[0]
    assert answer["service_request_id"] == created["service_request_id"]
    assert client.get(f"{BASE}/tokens/kein-token.json").status_code == 400
    assert client.get(f"{BASE}/tokens/{'0' * 8}-0000-0000-0000-{'0' * 12}.json").status_code == 404


def test_anonymous_posts_are_rate_limited(client, categories, address, settings):
    settings.HUB_OPEN311_ANONYMOUS_PER_MINUTE = 2
    assert post(client, address, **at(HALDENSLEBEN)).status_code == 201
    assert post(client, address, **at(HALDENSLEBEN)).status_code == 201
    refused = post(client, address, **at(HALDENSLEBEN))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_lifecycle_forward_merge_and_audit(client, categories, address):
    first = int(post(client, address, **at(HALDENSLEBEN)).json()[0]["service_request_id"])
    second = int(post(client, address, **at(HALDENSLEBEN)).json()[0]["service_request_id"])
    report = review(first)
    with pytest.raises(HubError, match="cannot become"):
        services.transition(report, Status.SUBMITTED, actor="moderator")
    services.forward(report, "Landesstraßenbaubehörde Sachsen-Anhalt", actor="moderator")
    item = client.get(f"{BASE}/requests/{first}.json").json()[0]
    assert item["agency_responsible"] == "Landesstraßenbaubehörde Sachsen-Anhalt"
    assert item["status"] == "closed"
    with system_context():
        duplicate = Report.objects.get(pk=second)
        original = Report.objects.get(pk=first)
    services.merge(duplicate, original, actor="moderator")
    with system_context():
        actions = list(
            ReportEvent.objects.filter(report_id=first).values_list("action", "to_status")
        )
        assert Report.objects.get(pk=second).duplicate_of_id == first
    assert actions == [
        ("submitted", "submitted"),
        ("status", "reviewed"),
        ("forwarded", "not_responsible"),
    ]


def test_closed_reports_are_anonymised_after_the_period(client, categories, address):
    old = int(
        post(client, address, **at(HALDENSLEBEN), email="a@example.org", first_name="A").json()[0][
            "service_request_id"
        ]
    )
    recent = int(
        post(client, address, **at(HALDENSLEBEN), email="b@example.org", first_name="B").json()[0][
            "service_request_id"
        ]
    )
    for report_id in (old, recent):
        review(report_id)
        review(report_id, Status.FIXED)
    with system_context():
        Report.objects.filter(pk=old).update(closed_at=timezone.now() - dt.timedelta(days=91))
    assert services.anonymise_closed(90) == 1
    with system_context():
        gone = Report.objects.get(pk=old)
        kept = Report.objects.get(pk=recent)
    assert (gone.reporter_name, gone.reporter_email, gone.anonymised_at is not None) == (
        "",
        "",
        True,
    )
    assert kept.reporter_email == "b@example.org"
    assert services.anonymise_closed(90) == 0  # once only
    services.delete_reporter_data(str(kept.token))
    with system_context():
        assert Report.objects.get(pk=recent).reporter_email == ""


def test_reports_stay_behind_row_level_security(client, categories, address):
    report_id = int(post(client, address, **at(HALDENSLEBEN)).json()[0]["service_request_id"])
    hohe_boerde = categories["hohe-boerde"]
    with tenant_context([hohe_boerde.pk]):
        assert not Report.objects.filter(pk=report_id).exists()
        from django.db import connection

        with connection.cursor() as cursor:  # the second wall: even raw SQL sees nothing
            cursor.execute("SELECT count(*) FROM participation_report WHERE id = %s", [report_id])
            assert cursor.fetchone()[0] == 0
    with tenant_context([categories["haldensleben"].pk]):
        assert Report.objects.filter(pk=report_id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_plain_http_client_following_the_spec(live_server, categories):
    """requests, line by line after the GeoReport v2 wiki: form-encoded POST, JSON and XML."""
    import requests

    base = f"{live_server.url}/open311/v2"
    services_xml = requests.get(
        f"{base}/services.xml", params={"jurisdiction_id": "haldensleben"}, timeout=10
    )
    assert services_xml.headers["Content-Type"].startswith("text/xml")
    codes = [s.findtext("service_code") for s in ET.fromstring(services_xml.content)]
    assert "strassenbeleuchtung" in codes
    created = requests.post(
        f"{base}/requests.xml",
        data={
            "jurisdiction_id": "haldensleben",
            "service_code": "strassenbeleuchtung",
            "lat": HALDENSLEBEN[0],
            "long": HALDENSLEBEN[1],
            "address_string": "Markt 1, 39340 Haldensleben",
            "attribute[asset_id]": "HDL-0815",
            "description": "Die Leuchte vor dem Rathaus flackert.",
        },
        timeout=10,
    )
    assert created.status_code == 201
    request_id = ET.fromstring(created.content).findtext("request/service_request_id")
    review(int(request_id))
    one = requests.get(f"{base}/requests/{request_id}.json", timeout=10).json()[0]
    assert one["address"] == "Markt 1, 39340 Haldensleben"
    assert one["address_id"] == "HDL-0815"
    assert one["agency_responsible"] == "Stadt Haldensleben"
    assert one["requested_datetime"].startswith(str(timezone.localdate().year))


def test_closed_reports_are_open_data_without_personal_data(client, categories, address):
    open_id = int(post(client, address, **at(HALDENSLEBEN)).json()[0]["service_request_id"])
    closed_id = int(
        post(
            client, address, **at(HALDENSLEBEN), first_name="Erika", email="erika@example.org"
        ).json()[0]["service_request_id"]
    )
    review(open_id)
    review(closed_id)
    review(closed_id, Status.FIXED)
    rows = client.get("/api/v1/t/haldensleben/meldungen.csv").content.decode().splitlines()
    assert rows[0].startswith("id,category,regional_category,status")
    assert [r.split(",")[0] for r in rows[1:]] == [str(closed_id)]
    assert "Erika" not in "".join(rows)
    assert "erika@" not in "".join(rows)
    features = client.get("/api/v1/t/haldensleben/meldungen.geojson").json()["features"]
    assert [f["id"] for f in features] == [closed_id]
    assert features[0]["properties"]["regional_category"] == "strassenbeleuchtung"
    assert client.get("/api/v1/t/rdz-haldensleben/meldungen.csv").status_code == 404
