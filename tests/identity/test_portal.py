# SPDX-License-Identifier: EUPL-1.2
"""The developer portal end to end (live hub, real Keycloak), and the API's rate limit."""

from __future__ import annotations

import re

import pytest
import requests
from django.conf import settings

from hub.accounts.models import ApiClient, User
from identity.keycloak import admin_client
from tests.identity.browser import HUB, Browser, forms_of

pytestmark = [pytest.mark.integration]
TOKEN_URL = f"{settings.HUB_OIDC_ISSUER}/protocol/openid-connect/token"


def client_token(client_id: str, secret: str) -> requests.Response:
    return requests.post(
        TOKEN_URL,
        timeout=10,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


def shown_credentials(page) -> tuple[str, str]:
    client_id = re.search(r'<code id="client-id">([^<]+)</code>', page.text)
    secret = re.search(r'<code id="client-secret">([^<]+)</code>', page.text)
    assert client_id, page.text[:2000]
    assert secret, page.text[:2000]
    return client_id[1], secret[1]


def post_form(browser: Browser, page, action_suffix: str, **values):
    form = next(f for f in forms_of(page) if f["action"].endswith(action_suffix))
    return browser.request("POST", form["action"], data={**form["fields"], **values})


def me(token: str) -> requests.Response:
    return requests.get(
        f"{HUB}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_developer_registers_rotates_and_revokes_a_client():
    browser = Browser()
    browser.sign_in("buerger.demo", settings.HUB_DEMO_PASSWORD, next_url="/entwickler/")
    portal = browser.get("/entwickler/")
    created = post_form(browser, portal, "/entwickler/neu/", name="Haltestellen-App")
    assert created.headers["Cache-Control"] == "no-store"
    client_id, secret = shown_credentials(created)
    # The secret is shown once: the portal page does not show it again.
    assert secret not in browser.get("/entwickler/").text
    try:
        token = client_token(client_id, secret).json()["access_token"]
        body = me(token).json()
        assert body["kind"] == "client"
        assert body["client_id"] == client_id

        rotated = post_form(browser, browser.get("/entwickler/"), f"/{client_id}/rotieren/")
        _, new_secret = shown_credentials(rotated)
        assert new_secret != secret
        assert client_token(client_id, secret).status_code == 401
        token = client_token(client_id, new_secret).json()["access_token"]
        assert me(token).status_code == 200

        post_form(browser, browser.get("/entwickler/"), f"/{client_id}/widerrufen/")
        assert client_token(client_id, new_secret).status_code in (400, 401)
        refused = me(token)  # issued before the revocation, still unexpired
        assert refused.status_code == 401
        assert refused.json()["detail"] == f"the API client {client_id} was revoked"
        assert "widerrufen" in browser.get("/entwickler/").text
    finally:
        realm = admin_client(settings.HUB_KEYCLOAK["realm"])
        uuid = realm.get_client_id(client_id)
        if uuid:
            realm.delete_client(uuid)


def test_the_portal_needs_a_sign_in():
    page = Browser().session.get(f"{HUB}/entwickler/", allow_redirects=False, timeout=10)
    assert page.status_code == 302
    assert "/oidc/authenticate/" in page.headers["Location"]


@pytest.mark.django_db
def test_a_client_over_its_limit_gets_429_with_retry_after(api, token_realm):
    owner = User.objects.create_user("dev")
    ApiClient.objects.create(owner=owner, client_id="probe", name="probe", rate_limit=3)
    token = token_realm.keycloak_token()
    answers = [api(token) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert 1 <= int(answers[3]["Retry-After"]) <= 61
    assert "limit is 3 per minute" in answers[3].json()["detail"]


@pytest.mark.django_db
def test_the_limit_counts_per_client(api, token_realm):
    owner = User.objects.create_user("dev")
    ApiClient.objects.create(owner=owner, client_id="probe", name="probe", rate_limit=1)
    assert api(token_realm.keycloak_token()).status_code == 200
    # Another client of the same realm has its own budget (the default limit).
    other = token_realm.forge(azp="other-client", preferred_username="service-account-other")
    assert api(other).status_code == 200


@pytest.mark.django_db
def test_a_portal_client_the_hub_no_longer_knows_is_revoked(api, token_realm):
    """Regression (review): a deleted person's API clients kept working."""
    from hub.accounts.ratelimit import client_policy

    assert client_policy("dev-0123456789ab")[1] is True
    assert client_policy("ogc")[1] is False
