# SPDX-License-Identifier: EUPL-1.2
"""Verify bearer tokens of the region's realm locally, against its cached JWKS.

Shared by the hub and CKAN, so it needs nothing of Django. The contract:

- the algorithm must be on the allow-list (asymmetric only: no `none`, no HS256 "signed" with
  the realm's public key), and the key is chosen by the token's `kid`;
- issuer, audience, expiry and not-before are checked, with a small leeway for clock skew;
- an unknown `kid` makes the verifier fetch the JWKS again (a key rotation in Keycloak is picked
  up without a restart), but not more often than `refresh_interval`, so that a flood of forged
  kids cannot turn into a flood of requests to Keycloak.

Every failure is a `TokenInvalid` whose `reason` is safe to show to the caller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import requests

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")


class TokenInvalid(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifierConfig:
    issuer: str
    audience: str
    jwks_url: str
    leeway_seconds: int = 30
    cache_seconds: int = 600
    refresh_interval: float = 10.0
    timeout: float = 5.0


class JWKSCache:
    """The realm's public keys by kid, fetched lazily and again when a kid is unknown."""

    def __init__(self, config: VerifierConfig, fetch: Callable[[str, float], dict] | None = None):
        self.config = config
        self._fetch = fetch or _http_get_json
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        now = time.monotonic()
        stale = now - self._fetched_at > self.config.cache_seconds
        if kid not in self._keys or stale:
            self._refresh(now, force=stale)
        try:
            return self._keys[kid]
        except KeyError:
            raise TokenInvalid(f"unknown key id (kid) {kid!r}") from None

    def _refresh(self, now: float, *, force: bool) -> None:
        with self._lock:
            if not force and now - self._fetched_at < self.config.refresh_interval:
                return
            try:
                document = self._fetch(self.config.jwks_url, self.config.timeout)
            except (requests.RequestException, ValueError) as exc:
                if self._keys:
                    return  # keep serving the keys we have; Keycloak may be restarting
                raise TokenInvalid("the realm's keys cannot be fetched right now") from exc
            keys = {}
            for entry in document.get("keys", []):
                if entry.get("use", "sig") != "sig" or "kid" not in entry:
                    continue
                try:
                    keys[entry["kid"]] = jwt.PyJWK(entry)
                except (jwt.PyJWKError, jwt.InvalidKeyError):
                    continue  # an algorithm we do not accept (e.g. RSA-OAEP for encryption)
            self._keys = keys
            self._fetched_at = now


def _http_get_json(url: str, timeout: float) -> dict:
    response = requests.get(url, timeout=timeout)
    response.raise_for_status()
    return response.json()


class TokenVerifier:
    def __init__(self, config: VerifierConfig, jwks: JWKSCache | None = None):
        self.config = config
        self.jwks = jwks or JWKSCache(config)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims if it is valid for this audience; TokenInvalid otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as exc:
            raise TokenInvalid("the token is not a well-formed JWT") from exc
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise TokenInvalid(f"algorithm {algorithm!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenInvalid("the token names no key id (kid)")
        key = self.jwks.key(kid)
        if key.algorithm_name != algorithm:
            raise TokenInvalid(f"key {kid!r} is not for algorithm {algorithm!r}")
        try:
            return jwt.decode(
                token,
                key=key.key,
                algorithms=[algorithm],
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenInvalid("the token has expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise TokenInvalid("the token is not valid yet (nbf/iat in the future)") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenInvalid(f"the token is not meant for {self.config.audience!r}") from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenInvalid("the token was issued by another issuer") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise TokenInvalid(f"the token lacks the {exc.claim!r} claim") from exc
        except jwt.InvalidSignatureError as exc:
            raise TokenInvalid("the token's signature does not match") from exc
        except jwt.PyJWTError as exc:
            raise TokenInvalid(f"the token is invalid: {exc}") from exc
