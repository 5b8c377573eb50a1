# SPDX-License-Identifier: EUPL-1.2
"""The hub as an OCPI 2.2.1 Locations receiver, driven by a CPO written from the specification
(tests/charging/ocpi_client.py): registration, Locations and status, the link to the register,
what another operator may not do, and bad input. The operator's platform cannot run here: its
versions endpoint is a real local HTTP server built from the specification's examples."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from hub.charging import services
from hub.charging.models import Evse, Location, Station, StatusChange
from hub.tenancy.models import Role
from tests.charging.conftest import STADTWERKE, fresh
from tests.charging.ocpi_client import Cpo, CpoServer, example, header
from tests.local_http import serving

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
VERSIONS = "/ocpi/versions"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # staff sign in like this in tests


def transport(client: Client):
    def send(method: str, path: str, headers: dict, body: bytes):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        answer = client.generic(method, path, body, content_type="application/json", **extra)
        return answer.status_code, answer.content

    return send


@pytest.fixture
def cpo_server():
    server = CpoServer(token_b="b-token-of-the-stadtwerke")
    with serving(server):
        yield server


@pytest.fixture
def cpo(client, register, invited, cpo_server):
    party, token_a = invited
    cpo = Cpo(transport(client), f"{cpo_server.url}/ocpi/versions", token_b=cpo_server.token_b)
    answer = cpo.register(f"http://testserver{VERSIONS}", token_a)
    assert answer.http == 200, answer.body
    assert answer.code == 1000, answer.body
    cpo.token_a = token_a
    cpo.party = party
    return cpo


def _zob() -> Station:
    return Station.objects.get(operator=STADTWERKE, address="Bahnhofsplatz 1")


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_registration_follows_the_credentials_handshake(cpo, cpo_server):
    # The hub called the CPO's versions and 2.2.1 details with token B (base64, as 2.2.1 says).
    assert [path for path, _ in cpo_server.calls] == ["/ocpi/versions", "/ocpi/2.2.1"]
    assert all(auth == header(cpo_server.token_b) for _, auth in cpo_server.calls)
    assert cpo.token_c
    assert cpo.token_c != cpo.token_a
    assert cpo.locations_url.endswith("/ocpi/2.2.1/locations")
    party = fresh(cpo.party)
    assert party.registered_at is not None
    assert party.roles[0]["party_id"] == "SWH"
    assert party.token_b == cpo_server.token_b
    # Token A is spent; C opens the modules; nothing opens them without a token.
    again = cpo.request("GET", VERSIONS, cpo.token_a)
    assert again.http == 401
    assert cpo.request("GET", VERSIONS, cpo.token_c).code == 1000
    assert Client().get(VERSIONS).status_code == 401
    # A plain (not base64) token, as 2.1.1 and 2.2 clients send it, is understood too.
    plain = Client().get(VERSIONS, HTTP_AUTHORIZATION=f"Token {cpo.token_c}")
    assert plain.status_code == 200
    twice = cpo.request("POST", "/ocpi/2.2.1/credentials", cpo.token_c, cpo.credentials_object())
    assert twice.http == 405
    assert "registered already" in twice.body["status_message"]


def test_a_location_put_links_to_the_register_and_shows_on_map_and_datex(client, cpo):
    zob = _zob()
    body = cpo.location("HDL-ZOB", zob.point.y + 0.0002, zob.point.x + 0.0002)  # ~25 m away
    created = cpo.put_location(body)
    assert (created.http, created.code) == (201, 1000), created.body
    assert cpo.put_location(body).http == 200  # the same again: replaced, not duplicated
    assert Location.objects.count() == 1
    zob.refresh_from_db()
    assert zob.location is not None
    assert zob.match == "auto"
    assert 20 <= zob.match_metres <= 40
    stored = cpo.get("HDL-ZOB")
    assert stored.code == 1000
    assert [e["uid"] for e in stored.data["evses"]] == ["3256", "3257"]
    assert stored.data["evses"][0]["connectors"][0]["standard"] == "IEC_62196_T2"

    geojson = client.get("/api/v1/t/haldensleben/laden/ladesaeulen.geojson").json()
    shown = next(f for f in geojson["features"] if f["properties"]["address"] == "Bahnhofsplatz 1")
    assert shown["properties"]["status_counts"] == {"AVAILABLE": 1, "RESERVED": 1}
    assert shown["properties"]["status"] == "free"
    status = client.get("/api/v1/t/haldensleben/laden/datex2/status.xml").content.decode()
    assert "<egi:status>available</egi:status>" in status
    assert "<egi:status>reserved</egi:status>" in status

    # A status PATCH as in location_patch_example_status.json: visible at the next request.
    patch = example("location_patch_example_status.json")
    patch["last_updated"] = "2026-12-08T07:00:00Z"
    answer = cpo.patch_evse("HDL-ZOB", "3256", patch)
    assert (answer.http, answer.code) == (200, 1000), answer.body
    geojson = client.get("/api/v1/t/haldensleben/laden/ladesaeulen.geojson").json()
    shown = next(f for f in geojson["features"] if f["properties"]["address"] == "Bahnhofsplatz 1")
    assert shown["properties"]["status_counts"] == {"CHARGING": 1, "RESERVED": 1}
    assert shown["properties"]["status"] == "busy"
    status = client.get("/api/v1/t/haldensleben/laden/datex2/status.xml").content.decode()
    assert "<egi:status>charging</egi:status>" in status
    assert "2026-12-08T07:00:00Z" in status
    page = client.get("/t/haldensleben/laden/").content.decode()
    assert "0 von 2 frei" in page
    history = list(StatusChange.objects.filter(evse__uid="3256").values_list("status", flat=True))
    assert history == ["AVAILABLE", "CHARGING"]


def test_older_updates_are_accepted_but_not_applied(cpo):
    zob = _zob()
    cpo.put_location(cpo.location("HDL-ZOB", zob.point.y, zob.point.x))
    newer = {"status": "OUTOFORDER", "last_updated": "2026-12-08T07:00:00Z"}
    assert cpo.patch_evse("HDL-ZOB", "3256", newer).code == 1000
    older = {"status": "AVAILABLE", "last_updated": "2026-12-08T06:00:00Z"}
    answer = cpo.patch_evse("HDL-ZOB", "3256", older)
    assert (answer.http, answer.code) == (200, 1000)
    assert "not applied" in answer.body["status_message"]
    assert Evse.objects.get(uid="3256").status == "OUTOFORDER"
    # The EVSE's push moved the Location's last_updated on (mod_locations: SHALL).
    assert Location.objects.get().last_updated.isoformat() == "2026-12-08T07:00:00+00:00"
    stale_put = cpo.location("HDL-ZOB", zob.point.y, zob.point.x)  # last_updated of 2015
    assert "not applied" in cpo.put_location(stale_put).body["status_message"]
    assert Evse.objects.get(uid="3256").status == "OUTOFORDER"


def test_another_operator_cannot_touch_the_stadtwerkes_objects(client, cpo, seeded):
    zob = _zob()
    cpo.put_location(cpo.location("HDL-ZOB", zob.point.y, zob.point.x))
    _party, token_a = services.invite(seeded["hohe-boerde"], "Fremder Betreiber", "Allego GmbH")
    server = CpoServer(token_b="b-token-of-another")
    with serving(server):
        other = Cpo(
            transport(client),
            f"{server.url}/ocpi/versions",
            party_id="OTH",
            name="Fremder Betreiber",
            token_b=server.token_b,
        )
        assert other.register(f"http://testserver{VERSIONS}", token_a).code == 1000
    other.party_id = "SWH"  # aims at the Stadtwerke's URLs with its own token
    before = Location.objects.get().data
    put = other.put_location(other.location("HDL-ZOB", 52.0, 11.0))
    assert put.http == 404
    assert "not one of your CPO roles" in put.body["status_message"]
    patch = other.patch_evse(
        "HDL-ZOB", "3256", {"status": "OUTOFORDER", "last_updated": "2030-01-01T00:00:00Z"}
    )
    assert patch.http == 404
    assert other.get("HDL-ZOB").http == 404
    assert Location.objects.get().data == before
    assert Evse.objects.get(uid="3256").status == "AVAILABLE"


def test_a_location_without_a_register_entry_waits_for_staff(cpo, seeded, make_user):
    # A new charger of the Stadtwerke at Süplinger Straße, not in the 2019 register.
    body = cpo.location("HDL-NEU", 52.3000, 11.3800)
    assert cpo.put_location(body).code == 1000
    assert Station.objects.filter(location__isnull=False).count() == 0
    staff = Client()
    staff.force_login(
        make_user("ed-hdl", (seeded["haldensleben"], Role.EDITOR)), backend=MODEL_BACKEND
    )
    page = staff.get("/t/haldensleben/laden/zuordnung/")
    assert page.status_code == 200
    assert "HDL-NEU" in page.content.decode()
    nearest = Station.objects.get(operator=STADTWERKE, address="Bahnhofsplatz 1")
    location = Location.objects.get(location_id="HDL-NEU")
    refused = staff.post(
        "/t/haldensleben/laden/zuordnung/", {"location": location.pk, "stations": [nearest.key]}
    )
    assert refused.status_code == 302
    assert Station.objects.filter(location=location).count() == 0  # more than 500 m away
    staff.post("/t/haldensleben/laden/zuordnung/", {"location": location.pk, "none": "1"})
    location.refresh_from_db()
    assert location.unregistered
    assert "HDL-NEU" not in staff.get("/t/haldensleben/laden/zuordnung/").content.decode()


@pytest.mark.parametrize(
    ("method", "path_tail", "body", "http", "code", "message"),
    [
        ("PATCH", "HDL-ZOB/3256", {"status": "CHARGING"}, 400, 2001, "SHALL contain last_updated"),
        (
            "PATCH",
            "HDL-ZOB/3256",
            {"status": "LADEND", "last_updated": "2026-12-08T07:00:00Z"},
            400,
            2001,
            "status: Input should be",
        ),
        (
            "PATCH",
            "HDL-ZOB/3256",
            {"last_updated": "2026-12-08T07:00:00+02:00"},
            400,
            2001,
            "DateTime in UTC",
        ),
        (
            "PATCH",
            "HDL-ZOB/9999",
            {"status": "CHARGING", "last_updated": "2026-12-08T07:00:00Z"},
            404,
            2003,
            "unknown EVSE",
        ),
        (
            "PATCH",
            "GIBT-ES-NICHT",
            {"name": "x", "last_updated": "2026-12-08T07:00:00Z"},
            404,
            2003,
            "unknown Location",
        ),
        (
            "PUT",
            "HDL-ZOB/3256",
            "location_put_example_add_evse.json",
            400,
            2001,
            "connectors.0.power_type: Field required",
        ),
        ("PUT", "HDL-ANDERS", "location", 400, 2001, "is not the URL's"),
        ("POST", "HDL-ZOB", {}, 405, 2000, "does not take POST"),
        ("DELETE", "HDL-ZOB", None, 405, 2000, "does not take DELETE"),
    ],
)
def test_bad_pushes_get_an_ocpi_error_and_change_nothing(
    cpo, method, path_tail, body, http, code, message
):
    zob = _zob()
    cpo.put_location(cpo.location("HDL-ZOB", zob.point.y, zob.point.x))
    before = [(e.uid, e.status, e.data) for e in Evse.objects.order_by("uid")]
    if body == "location":
        body = cpo.location("HDL-ZOB", zob.point.y, zob.point.x)
    elif isinstance(body, str):
        body = example(body)
    answer = cpo.request(method, cpo.location_url(*path_tail.split("/")), cpo.token_c, body)
    assert (answer.http, answer.code) == (http, code), answer.body
    assert message in answer.body["status_message"]
    assert "timestamp" in answer.body
    assert [(e.uid, e.status, e.data) for e in Evse.objects.order_by("uid")] == before


def test_broken_bodies_wrong_tokens_and_oversize(client, cpo):
    url = cpo.location_url("HDL-ZOB")
    broken = cpo.request("PUT", url, cpo.token_c, raw=b'{"id": "HDL-ZOB", ')
    assert broken.http == 400
    assert "not JSON" in broken.body["status_message"]
    big = cpo.request("PUT", url, cpo.token_c, raw=b"[" + b"0," * (5 * 2**20) + b"0]")
    assert big.http == 413
    assert big.code == 2000
    wrong = cpo.request("PUT", url, "not-a-token", cpo.location("HDL-ZOB", 52.28, 11.4))
    assert wrong.http == 401
    assert Location.objects.count() == 0
    answer = client.get(url, HTTP_AUTHORIZATION="Bearer x", HTTP_X_REQUEST_ID="abc-123")
    assert answer.status_code == 401
    assert answer["X-Request-ID"] == "abc-123"  # echoed, as transport_and_format asks
    assert json.loads(answer.content)["status_code"] == 2000


def test_a_registration_whose_versions_cannot_be_fetched_is_refused(client, register, invited):
    party, token_a = invited
    cpo = Cpo(transport(client), "http://127.0.0.1:9/ocpi/versions")  # nobody listens there
    answer = cpo.register(f"http://testserver{VERSIONS}", token_a)
    assert answer.code == 3001
    assert fresh(party).registered_at is None
    assert cpo.request("GET", VERSIONS, token_a).code == 1000  # token A still registers
