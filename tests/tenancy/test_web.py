# SPDX-License-Identifier: EUPL-1.2
"""The start page, tenant pages and the tenant API, German first."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_start_page_lists_every_tenant_in_german(seeded, client):
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="de">' in html
    assert "11 Mandanten" in html
    for tenant in seeded.values():
        assert f'href="/t/{tenant.slug}/"' in html, tenant.slug
    # The map is an addition to the list, served from the hub's own static files.
    assert 'id="map"' in html
    assert "/static/leaflet/leaflet" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


def test_start_page_in_english(seeded, client):
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in html
    assert "11 tenants" in html
    assert "Skip to content" in html


def test_language_can_be_switched(seeded, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "11 tenants" in client.get("/").content.decode()


def test_tenant_page_shows_key_hierarchy_and_area(seeded, client):
    html = client.get("/t/haldensleben/").content.decode()
    assert "Haldensleben, Stadt" in html
    assert "15083270" in html
    assert 'href="/t/landkreis-boerde/"' in html
    # VG5000 area of Haldensleben, within 1 % of the Destatis figure (156.21 km²).
    area = re.search(r"(\d+),(\d) km²", html)
    assert area is not None
    assert abs(float(f"{area[1]}.{area[2]}") - 156.21) < 1.6


def test_unknown_tenant_is_404(seeded, client):
    assert client.get("/t/gibt-es-nicht/").status_code == 404
    assert client.get("/api/v1/t/gibt-es-nicht").status_code == 404


def test_deactivated_tenant_is_410_with_an_explanation(seeded, client):
    seeded["moeser"].is_active = False
    seeded["moeser"].save()
    page = client.get("/t/moeser/")
    assert page.status_code == 410
    assert "nicht mehr aktiv" in page.content.decode()
    assert "moeser" not in {t["slug"] for t in client.get("/api/v1/tenants").json()}


def test_api_lists_tenants_with_their_hierarchy(seeded, client):
    tenants = {t["slug"]: t for t in client.get("/api/v1/tenants").json()}
    assert len(tenants) == 11
    assert tenants["vg-flechtingen"]["ars"] == "150835052"
    assert tenants["landkreis-boerde"]["children"] == [
        "barleben",
        "haldensleben",
        "hohe-boerde",
        "niedere-boerde",
        "oebisfelde-weferlingen",
        "vg-flechtingen",
        "wolmirstedt",
    ]
    detail = client.get("/api/v1/t/moeser").json()
    assert detail["parents"] == ["energieeffizienznetzwerk-mittelland"]


def test_api_serves_tenant_areas_as_geojson(seeded, client):
    data = client.get("/api/v1/tenants.geojson").json()
    assert data["type"] == "FeatureCollection"
    ids = {f["id"] for f in data["features"]}
    # Every tenant with an area; the centre has none.
    assert ids == set(seeded) - {"rdz-haldensleben"}
    full = client.get("/api/v1/tenants.geojson?simplify=0").json()
    count = sum(len(str(f["geometry"])) for f in full["features"])
    assert count >= sum(len(str(f["geometry"])) for f in data["features"])


def test_api_refuses_a_bad_parameter_with_a_clear_error(seeded, client):
    response = client.get("/api/v1/tenants.geojson?simplify=lots")
    assert response.status_code == 422
    assert "simplify" in response.content.decode()


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/tenants", "/api/v1/t/{slug}", "/api/v1/tenants.geojson"} <= set(spec["paths"])
    assert spec["components"]["schemas"]["Problem"]["required"][:3] == ["type", "title", "status"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"400", "429"} | ({"404"} if "{" in path else set())
            if operation.get("security"):
                expected |= {"401", "403"}
            assert expected <= set(responses), (method, path, sorted(responses))
            problem = responses["400"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}


@pytest.mark.parametrize("path", ["/t/Haldensleben/", "/t/halden_sleben/", "/t/%E2%9C%93/"])
def test_malformed_tenant_slug_is_a_clean_404(seeded, client, path):
    """Regression: slugs outside [a-z0-9-] slipped past the middleware and crashed the view."""
    assert client.get(path).status_code == 404


def test_api_paths_answer_unknown_and_inactive_tenants_in_json(seeded, client):
    unknown = client.get("/api/v1/t/gibt-es-nicht")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Diesen Mandanten gibt es nicht: gibt-es-nicht"
    seeded["moeser"].is_active = False
    seeded["moeser"].save()
    gone = client.get("/api/v1/t/moeser", headers={"accept-language": "en"})
    assert gone.status_code == 410
    assert gone.json()["detail"] == "This tenant is no longer active: moeser"


def test_a_tenant_without_a_logo_gets_an_emblem_from_its_name(client, seeded):
    response = client.get("/t/haldensleben/emblem.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<title>Stadt Haldensleben</title>" in svg
    assert ">SH</text>" in svg
    assert client.get("/t/nirgendwo/emblem.svg").status_code == 404


def test_the_emblem_escapes_the_tenants_name(client, seeded):
    tenant = seeded["barleben"]
    tenant.short_name = 'A & <B> "C"'
    tenant.save()
    svg = client.get("/t/barleben/emblem.svg").content.decode()
    assert "<title>A &amp; &lt;B&gt; &quot;C&quot;</title>" in svg
    assert "<B>" not in svg
