# SPDX-License-Identifier: EUPL-1.2
"""Sign-in to the running hub through Keycloak's real login pages (authorization code + PKCE).

These tests drive the stack's own hub on :8000 and the region's realm, as a person with a
browser would; what they change in Keycloak they put back.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache

from identity.keycloak import admin_client
from tests.identity.browser import HUB, Browser, forms_of

pytestmark = [pytest.mark.integration]
PASSWORD = settings.HUB_DEMO_PASSWORD


def roles_on_account_page(browser: Browser) -> list[str]:
    page = browser.get("/konto/")
    assert page.url == f"{HUB}/konto/", page.url
    items = re.findall(r'<li><a href="/t/[^"]+/">([^<]+)</a>: ([^<]+)</li>', page.text)
    return sorted(f"{tenant}: {role}" for tenant, role in items)


def test_the_hub_asks_keycloak_with_pkce():
    page = Browser().session.get(f"{HUB}/oidc/authenticate/", allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(page.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["response_type"] == ["code"]
    assert "organization" in query["scope"][0].split()


def test_tenant_editor_signs_in_and_lands_as_editor():
    browser = Browser()
    browser.sign_in("editor.haldensleben", PASSWORD)
    assert roles_on_account_page(browser) == ["Stadt Haldensleben: Redaktion"]


def test_hohe_boerde_user_signs_in_through_the_municipal_directory():
    """The user exists only in Hohe Börde's directory; the region brokers the sign-in."""
    directory = admin_client("hohe-boerde-verzeichnis")
    assert directory.get_user_id("m.mustermann") is not None
    browser = Browser()
    page = browser.sign_in("max.mustermann@hohe-boerde.de", PASSWORD)
    assert page.url == f"{HUB}/konto/"
    assert roles_on_account_page(browser) == ["Gemeinde Hohe Börde: Redaktion"]
    region = admin_client(settings.HUB_KEYCLOAK["realm"])
    user_id = region.get_user_id("m.mustermann")
    assert [o["alias"] for o in region.get_user_organizations(user_id)] == ["hohe-boerde"]
    links = region.get_user_social_logins(user_id)
    assert [link["identityProvider"] for link in links] == ["hohe-boerde-verzeichnis"]


def test_citizen_signs_in_without_tenant_roles():
    browser = Browser()
    browser.sign_in("buerger.demo", PASSWORD)
    assert roles_on_account_page(browser) == []
    assert "Bürgerin oder Bürger" in browser.get("/konto/").text


def test_sign_out_ends_the_keycloak_session_too():
    browser = Browser()
    page = browser.sign_in("buerger.demo", PASSWORD)
    page = browser.submit(page, "sign-out")  # the header's sign-out form
    assert page.url == f"{HUB}/"
    assert "Anmelden" in page.text
    # Without the Keycloak session, signing in asks for credentials again.
    again = browser.get("/oidc/authenticate/")
    assert "kc-form-login" in {f["id"] for f in forms_of(again)}


def test_membership_removed_in_keycloak_is_gone_after_the_next_refresh():
    realm = admin_client(settings.HUB_KEYCLOAK["realm"])
    user_id = realm.get_user_id("editor.haldensleben")
    group = realm.get_group_by_path("/tenants/haldensleben/editor")["id"]
    browser = Browser()
    browser.sign_in("editor.haldensleben", PASSWORD)
    assert roles_on_account_page(browser) == ["Stadt Haldensleben: Redaktion"]
    realm.group_user_remove(user_id, group)
    try:
        # Let the ID token age past its renewal time, as 5 minutes would.
        key = SessionStore.cache_key_prefix + browser.session.cookies["sessionid"]
        session = cache.get(key)
        session["oidc_id_token_expiration"] = 0
        cache.set(key, session)
        assert roles_on_account_page(browser) == []
    finally:
        realm.group_user_add(user_id, group)
    session = cache.get(key)
    session["oidc_id_token_expiration"] = 0
    cache.set(key, session)
    assert roles_on_account_page(browser) == ["Stadt Haldensleben: Redaktion"]


def test_citizen_registers_and_deletes_the_account():
    name = f"neu.{uuid.uuid4().hex[:6]}"
    browser = Browser()
    login = browser.get("/oidc/authenticate/")
    register = re.search(r'href="([^"]*login-actions/registration[^"]*)"', login.text)
    assert register, "no link to register on the login page"
    page = browser.get("http://localhost:8080" + register[1].replace("&amp;", "&"))
    page = browser.submit(
        page,
        "kc-register-form",
        username=name,
        email=f"{name}@example.org",
        firstName="Neue",
        lastName="Bürgerin",
        password="Lang-genug-2026!",
        **{"password-confirm": "Lang-genug-2026!"},
    )
    assert page.url.startswith(HUB), page.text[:2000]
    realm = admin_client(settings.HUB_KEYCLOAK["realm"])
    assert realm.get_user_id(name) is not None
    assert roles_on_account_page(browser) == []
    account = browser.get("/konto/")
    delete_form = next(f for f in forms_of(account) if f["action"].endswith("/konto/loeschen/"))
    assert delete_form
    refused = browser.request(
        "POST",
        "/konto/loeschen/",
        data={"csrfmiddlewaretoken": delete_form["fields"]["csrfmiddlewaretoken"]},
    )
    assert "Bitte bestätigen" in refused.text
    done = browser.request(
        "POST",
        "/konto/loeschen/",
        data={
            "csrfmiddlewaretoken": delete_form["fields"]["csrfmiddlewaretoken"],
            "confirm": "yes",
        },
    )
    assert "Ihr Konto und Ihre Daten wurden gelöscht." in done.text
    assert realm.get_user_id(name) is None
