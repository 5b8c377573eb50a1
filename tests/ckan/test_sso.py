# SPDX-License-Identifier: EUPL-1.2
"""CKAN single sign-on through the region's realm: Keycloak's real forms, roles → organizations."""

from __future__ import annotations

import psycopg
import pytest
from ckanapi import RemoteCKAN
from django.conf import settings

from identity.keycloak import admin_client
from tests.ckan.conftest import ckan_db_url
from tests.identity.browser import Browser, forms_of

pytestmark = pytest.mark.integration
PASSWORD = settings.HUB_DEMO_PASSWORD
# The host of ckan.site_url: the session cookie of the sign-in must come back to the callback.
CKAN = "http://localhost:5000"


def sign_in_to_ckan(login: str, start: str = "/user/oidc/login") -> Browser:
    browser = Browser()
    page = browser.get(f"{CKAN}{start}")
    page = browser.submit(page, "kc-form-login", username=login)
    for _ in range(3):
        if page.url.startswith(CKAN):
            break
        page = browser.submit(page, "kc-form-login", username=login, password=PASSWORD)
    assert page.url.startswith(f"{CKAN}/dashboard"), page.url
    return browser


def ckan_user_of(keycloak_username: str, realm: str = "region") -> str:
    sub = admin_client(realm).get_user_id(keycloak_username)
    with psycopg.connect(ckan_db_url()) as db:
        row = db.execute(
            "SELECT name FROM \"user\" WHERE plugin_extras->'haldensleben_oidc'->>'sub' = %s"
            " AND state = 'active'",  # an earlier run's account of the person is deleted
            (sub,),
        ).fetchone()
    assert row, f"no CKAN user for {keycloak_username}"
    return row[0]


def organizations_of(name: str) -> dict[str, str]:
    admin = RemoteCKAN(CKAN, apikey=settings.HUB_CKAN_API_TOKEN)
    return {
        o["name"]: o["capacity"]
        for o in admin.action.organization_list_for_user(id=name, permission="read")
        if not o["name"].startswith("testkatalog")
    }


def test_tenant_editor_signs_in_and_is_editor_of_the_organization():
    sign_in_to_ckan("editor.haldensleben")
    assert organizations_of(ckan_user_of("editor.haldensleben")) == {"haldensleben": "editor"}


def test_tenant_admin_is_admin_of_the_organization():
    sign_in_to_ckan("admin.landkreis")
    assert organizations_of(ckan_user_of("admin.landkreis")) == {"landkreis-boerde": "admin"}


def test_brokered_hohe_boerde_user_is_editor_of_hohe_boerde():
    sign_in_to_ckan("max.mustermann@hohe-boerde.de")
    assert organizations_of(ckan_user_of("m.mustermann")) == {"hohe-boerde": "editor"}


def test_citizen_has_no_organization():
    sign_in_to_ckan("buerger.demo")
    assert organizations_of(ckan_user_of("buerger.demo")) == {}


def test_a_role_removed_in_keycloak_is_gone_at_the_next_sign_in():
    realm = admin_client("region")
    user_id = realm.get_user_id("editor.haldensleben")
    group = realm.get_group_by_path("/tenants/haldensleben/editor")["id"]
    sign_in_to_ckan("editor.haldensleben")
    realm.group_user_remove(user_id, group)
    try:
        sign_in_to_ckan("editor.haldensleben")
        assert organizations_of(ckan_user_of("editor.haldensleben")) == {}
    finally:
        realm.group_user_add(user_id, group)
    sign_in_to_ckan("editor.haldensleben")
    assert organizations_of(ckan_user_of("editor.haldensleben")) == {"haldensleben": "editor"}


def test_sign_out_ends_the_keycloak_session_too():
    browser = sign_in_to_ckan("buerger.demo")
    page = browser.get(f"{CKAN}/user/_logout")
    assert page.url.startswith(CKAN)
    again = browser.get(f"{CKAN}/user/oidc/login")
    assert "kc-form-login" in {f["id"] for f in forms_of(again)}


def test_a_callback_that_was_not_started_here_signs_no_one_in():
    browser = Browser()
    page = browser.get(f"{CKAN}/user/oidc/callback?state=forged&code=forged")
    assert page.url == f"{CKAN}/"
    assert "Die Anmeldung ist fehlgeschlagen" in page.text
    assert "/user/_logout" not in page.text


def test_sign_in_never_sends_the_browser_elsewhere():
    """Regression (review): came_from=https://evil.example was followed after the sign-in."""
    sign_in_to_ckan("buerger.demo", start="/user/oidc/login?came_from=https://evil.example/")
    sign_in_to_ckan("buerger.demo", start="/user/oidc/login?came_from=//evil.example/")
