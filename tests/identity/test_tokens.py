# SPDX-License-Identifier: EUPL-1.2
"""Bearer tokens at /api/v1/me: every attack is a 401 with its reason; rotation needs no restart.

The tokens are forged with a signing key the test imported into a throwaway realm of the real
Keycloak, so they are validly signed and differ from a good token only in what is tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from identity.keycloak import admin_client
from identity.tokens import TokenInvalid

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assert_refused(response, reason: str) -> None:
    assert response.status_code == 401, response.content
    assert response.json()["detail"] == reason
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="hub", error="invalid_token"')
    assert reason.replace('"', "'") in challenge


def test_a_real_keycloak_token_is_accepted(api, token_realm):
    response = api(token_realm.keycloak_token())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "client"
    assert body["client_id"] == "probe"
    assert body["memberships"] == []


def test_a_forged_but_valid_token_is_accepted(api, token_realm):
    token = token_realm.forge(
        groups=["/tenants/haldensleben/editor"],
        organization=["haldensleben"],
        preferred_username="erika",
        azp="hub",
    )
    body = api(token).json()
    assert body["kind"] == "user"
    assert body["name"] == "erika"
    assert body["memberships"] == [{"tenant": "haldensleben", "role": "editor"}]


def test_staff_role_without_organization_membership_is_not_granted(api, token_realm):
    token = token_realm.forge(
        groups=["/tenants/haldensleben/editor"],
        organization=[],
        preferred_username="erika",
        azp="hub",
    )
    assert api(token).json()["memberships"] == []


def test_missing_token(api):
    assert_refused(api(None), "no bearer token (send 'Authorization: Bearer <token>')")


def test_expired(api, token_realm):
    now = int(time.time())
    assert_refused(api(token_realm.forge(iat=now - 3600, exp=now - 600)), "the token has expired")


def test_expiry_within_the_leeway_is_accepted(api, token_realm):
    now = int(time.time())
    assert api(token_realm.forge(iat=now - 600, exp=now - 10)).status_code == 200


def test_not_yet_valid(api, token_realm):
    now = int(time.time())
    assert_refused(
        api(token_realm.forge(nbf=now + 600)), "the token is not valid yet (nbf/iat in the future)"
    )


def test_wrong_audience(api, token_realm):
    assert_refused(api(token_realm.forge(aud="account")), "the token is not meant for 'hub-api'")


def test_wrong_issuer(api, token_realm):
    assert_refused(
        api(token_realm.forge(iss="http://localhost:8080/realms/master")),
        "the token was issued by another issuer",
    )


def test_alg_none(api, token_realm):
    header = b64(json.dumps({"alg": "none", "kid": token_realm.kid}).encode())
    payload = b64(
        json.dumps(
            {"sub": "x", "aud": "hub-api", "iss": token_realm.issuer, "exp": int(time.time()) + 60}
        ).encode()
    )
    assert_refused(api(f"{header}.{payload}."), "algorithm 'none' is not accepted")


def test_hs256_signed_with_the_realms_public_key(api, token_realm):
    public_pem = token_realm.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": token_realm.kid}).encode())
    payload = b64(
        json.dumps(
            {
                "sub": "x",
                "aud": "hub-api",
                "iss": token_realm.issuer,
                "iat": int(time.time()),
                "exp": int(time.time()) + 60,
            }
        ).encode()
    )
    signature = b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert_refused(api(f"{header}.{payload}.{signature}"), "algorithm 'HS256' is not accepted")


def test_unknown_kid(api, token_realm):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(
        api(token_realm.forge(key=stranger, kid="not-a-realm-key")),
        "unknown key id (kid) 'not-a-realm-key'",
    )


def test_key_of_another_signer_under_a_realm_kid(api, token_realm):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(api(token_realm.forge(key=stranger)), "the token's signature does not match")


def test_tampered_payload(api, token_realm):
    header, payload, signature = token_realm.keycloak_token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["groups"] = ["/tenants/landkreis-boerde/region-admin"]
    claims["organization"] = ["landkreis-boerde"]
    forged = b64(json.dumps(claims).encode())
    assert_refused(api(f"{header}.{forged}.{signature}"), "the token's signature does not match")


@pytest.mark.parametrize("garbage", ["", "abc", "a.b", "a.b.c.d", "x" * 10_000, "🙂.🙂.🙂"])
def test_garbage_is_refused(api, garbage):
    response = api(garbage)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_basic_auth_scheme_is_refused(api):
    assert api("dXNlcjpwYXNz", scheme="Basic").status_code == 401


def test_key_rotation_in_keycloak_is_honoured_without_restart(api, token_realm):
    """A new, higher-priority key in the realm: its tokens verify with the same verifier."""
    before = token_realm.keycloak_token()
    assert api(before).status_code == 200
    admin = admin_client(token_realm.name)
    realm_id = admin.get_realm(token_realm.name)["id"]
    admin.create_component(
        {
            "name": "rotated",
            "providerId": "rsa-generated",
            "providerType": "org.keycloak.keys.KeyProvider",
            "parentId": realm_id,
            "config": {
                "priority": ["500"],
                "keySize": ["2048"],
                "active": ["true"],
                "enabled": ["true"],
                "algorithm": ["RS256"],
            },
        }
    )
    after = token_realm.keycloak_token()
    kid = lambda t: json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "=="))["kid"]  # noqa: E731
    assert kid(after) != kid(before)
    assert api(after).status_code == 200
    assert api(before).status_code == 200  # the old key is still published


def test_a_flood_of_unknown_kids_does_not_flood_keycloak(token_realm):
    fetches = []
    verifier = token_realm.verifier(refresh_interval=30.0)
    real_fetch = verifier.jwks._fetch
    verifier.jwks._fetch = lambda url, timeout: fetches.append(url) or real_fetch(url, timeout)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for number in range(50):
        with pytest.raises(TokenInvalid):
            verifier.verify(token_realm.forge(key=stranger, kid=f"forged-{number}"))
    assert len(fetches) == 1


def test_a_remembered_token_still_expires(token_realm, monkeypatch):
    verifier = token_realm.verifier()
    token = token_realm.forge()
    claims = verifier.verify(token)
    later = claims["exp"] + 31  # beyond the 30 s leeway
    monkeypatch.setattr("identity.tokens.time.time", lambda: later)
    with pytest.raises(TokenInvalid, match="the token has expired"):
        verifier.verify(token)


def test_a_deeply_nested_header_is_a_401_not_a_crash(api):
    """Regression (review): json.loads raised RecursionError, which escaped as a 500."""
    header = b64(("[" * 1000).encode())
    assert api(f"{header}.e30.c2ln").status_code == 401


def test_an_oversized_token_is_refused_before_parsing(api):
    response = api("a" * 20_000 + ".b.c")
    assert response.status_code == 401
    assert "longer than 16384" in response.json()["detail"]


def test_a_keycloak_outage_is_not_hammered(token_realm):
    """Regression (review): failed JWKS fetches were not throttled."""
    attempts = []

    def unreachable(url, timeout):
        attempts.append(url)
        raise requests.ConnectionError("Keycloak is away")

    verifier = token_realm.verifier(refresh_interval=30.0)
    verifier.jwks._fetch = unreachable
    for number in range(20):
        with pytest.raises(TokenInvalid):
            verifier.verify(token_realm.forge(kid=f"any-{number}"))
    assert len(attempts) == 1


def test_a_person_named_like_a_service_account_is_still_a_person(api, token_realm):
    """Regression (review): the username prefix alone made a person an API client."""
    token = token_realm.forge(azp="hub", preferred_username="service-account-hub", client_id=None)
    assert api(token).json()["kind"] == "user"
