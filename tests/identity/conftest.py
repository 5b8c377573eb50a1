# SPDX-License-Identifier: EUPL-1.2
"""A throwaway realm with a signing key the tests hold, to forge otherwise valid tokens."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.cache import cache

from hub.accounts import auth
from identity.keycloak import admin_client
from identity.tokens import TokenVerifier, VerifierConfig

AUDIENCE = "hub-api"


def _b64int(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class TestRealm:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    private_key: rsa.RSAPrivateKey
    kid: str

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/certs"

    def verifier(self, **overrides) -> TokenVerifier:
        config = {
            "issuer": self.issuer,
            "audience": AUDIENCE,
            "jwks_url": self.jwks_url,
            "refresh_interval": 0.0,
            **overrides,
        }
        return TokenVerifier(VerifierConfig(**config))

    def keycloak_token(self) -> str:
        """A real access token from Keycloak (client credentials)."""
        response = requests.post(
            f"{self.issuer}/protocol/openid-connect/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def forge(self, *, key=None, kid=None, algorithm="RS256", **claims) -> str:
        """A token signed with the realm's imported key (so: valid unless the claims are not)."""
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 300,
            "azp": self.client_id,
            "preferred_username": f"service-account-{self.client_id}",
            **claims,
        }
        if payload["preferred_username"].startswith("service-account-"):
            payload.setdefault("client_id", payload["azp"])  # as Keycloak writes it
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(
            payload, key or self.private_key, algorithm=algorithm, headers={"kid": kid or self.kid}
        )


@pytest.fixture(scope="session")
def token_realm():
    admin = admin_client()
    name = f"test-tokens-{uuid.uuid4().hex[:8]}"
    admin.create_realm({"realm": name, "enabled": True})
    admin.change_current_realm(name)
    try:
        secret = uuid.uuid4().hex
        admin.create_client(
            {
                "clientId": "probe",
                "enabled": True,
                "publicClient": False,
                "secret": secret,
                "standardFlowEnabled": False,
                "serviceAccountsEnabled": True,
                "protocolMappers": [
                    {
                        "name": "audience",
                        "protocol": "openid-connect",
                        "protocolMapper": "oidc-audience-mapper",
                        "config": {
                            "included.custom.audience": AUDIENCE,
                            "access.token.claim": "true",
                        },
                    }
                ],
            }
        )
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
        realm_id = admin.get_realm(name)["id"]
        admin.create_component(
            {
                "name": "hub-test-key",
                "providerId": "rsa",
                "providerType": "org.keycloak.keys.KeyProvider",
                "parentId": realm_id,
                "config": {
                    "priority": ["50"],
                    "enabled": ["true"],
                    "active": ["true"],
                    "algorithm": ["RS256"],
                    "privateKey": [pem],
                },
            }
        )
        issuer = f"{settings.HUB_KEYCLOAK['url']}/realms/{name}"
        jwks = requests.get(f"{issuer}/protocol/openid-connect/certs", timeout=10).json()
        modulus = _b64int(key.public_key().public_numbers().n)
        kid = next(k["kid"] for k in jwks["keys"] if k.get("n") == modulus)
        yield TestRealm(name, issuer, "probe", secret, key, kid)
    finally:
        admin.change_current_realm("master")
        admin.delete_realm(name)


@pytest.fixture
def api(token_realm, monkeypatch, client):
    """The hub's API, trusting the test realm instead of the region's."""
    verifier = token_realm.verifier()
    monkeypatch.setattr(auth, "verifier", lambda: verifier)
    # Each test starts with empty rate-limit windows and no cached client policies.
    redis = cache._cache.get_client(None, write=True)
    for key in redis.scan_iter("*hub:*"):
        redis.delete(key)

    def me(token: str | None, scheme: str = "Bearer"):
        headers = {"authorization": f"{scheme} {token}"} if token is not None else {}
        return client.get("/api/v1/me", headers=headers)

    return me
