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

import base64
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import requests

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
MAX_TOKEN_BYTES = 16_384


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
        self._attempted_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        now = time.monotonic()
        stale = now - self._fetched_at > self.config.cache_seconds
        if kid not in self._keys or stale:
            self._refresh(now)
        try:
            return self._keys[kid]
        except KeyError:
            raise TokenInvalid(f"unknown key id (kid) {kid!r}") from None

    def _refresh(self, now: float) -> None:
        with self._lock:
            # Stale or not, at most one attempt per refresh_interval, failed attempts included:
            # neither forged kids nor a Keycloak outage turn into a stream of fetches.
            if now - self._attempted_at < self.config.refresh_interval:
                return
            self._attempted_at = now
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
    """Verifies tokens; remembers the ones it verified until they expire.

    A client sends the same access token with every request for its lifetime (minutes), so the
    signature of a token is checked once; its times are checked on every use.
    """

    MAX_REMEMBERED = 10_000

    def __init__(self, config: VerifierConfig, jwks: JWKSCache | None = None):
        self.config = config
        self.jwks = jwks or JWKSCache(config)
        self._verified: dict[str, dict[str, Any]] = {}

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims if it is valid for this audience; TokenInvalid otherwise."""
        claims = self._verified.get(token)
        if claims is not None:
            now, leeway = time.time(), self.config.leeway_seconds
            if claims["exp"] + leeway < now:
                self._verified.pop(token, None)
                raise TokenInvalid("the token has expired")
            return dict(claims)
        claims = self._verify_signed(token)
        if len(self._verified) >= self.MAX_REMEMBERED:
            self._verified.clear()  # crude, bounded; a full cache empties at most every 10k
        self._verified[token] = claims
        return dict(claims)

    def _verify_signed(self, token: str) -> dict[str, Any]:
        # Parsed here rather than by jwt.decode(): PyJWT checks the base64 alphabet character
        # by character in Python, which cost 6x the RSA verification itself (make bench).
        if len(token) > MAX_TOKEN_BYTES:
            raise TokenInvalid(f"the token is longer than {MAX_TOKEN_BYTES} characters")
        parts = token.split(".")
        # The signature may be empty here so that `alg: none` is refused by name below.
        if (
            len(parts) != 3
            or not all(_B64URL.fullmatch(part) for part in parts[:2])
            or (parts[2] and not _B64URL.fullmatch(parts[2]))
        ):
            raise TokenInvalid("the token is not a well-formed JWT")
        header = _json_object(
            parts[0], "the token is not a well-formed JWT", "the token is not a well-formed JWT"
        )
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise TokenInvalid(f"algorithm {algorithm!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenInvalid("the token names no key id (kid)")
        key = self.jwks.key(kid)
        if key.algorithm_name != algorithm:
            raise TokenInvalid(f"key {kid!r} is not for algorithm {algorithm!r}")
        signed = f"{parts[0]}.{parts[1]}".encode()
        try:
            signature = _b64decode(parts[2])
            valid = _ALGORITHMS[algorithm].verify(signed, key.key, signature)
        except (ValueError, TypeError):
            valid = False
        if not valid:
            raise TokenInvalid("the token's signature does not match")
        claims = _json_object(
            parts[1], "the token's payload is not JSON", "the token's payload is not a JSON object"
        )
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        for name in ("exp", "iat", "iss", "aud", "sub"):
            if name not in claims:
                raise TokenInvalid(f"the token lacks the {name!r} claim")
        now, leeway = time.time(), self.config.leeway_seconds
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name, 0)
            # A NumericDate is a JSON number (RFC 7519 §2); true and false are not (Python
            # counts bool as int: found by the differential test against PyJWT).
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise TokenInvalid(f"the token's {name!r} claim is not a number")
        if claims["exp"] + leeway < now:
            raise TokenInvalid("the token has expired")
        if claims.get("nbf", 0) - leeway > now or claims["iat"] - leeway > now:
            raise TokenInvalid("the token is not valid yet (nbf/iat in the future)")
        if claims["iss"] != self.config.issuer:
            raise TokenInvalid("the token was issued by another issuer")
        audience = claims["aud"]
        audiences = [audience] if isinstance(audience, str) else audience
        if not isinstance(audiences, list) or self.config.audience not in audiences:
            raise TokenInvalid(f"the token is not meant for {self.config.audience!r}")


_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_ALGORITHMS = {name: jwt.get_algorithm_by_name(name) for name in ALLOWED_ALGORITHMS}


def _json_object(segment: str, not_json: str, not_object: str) -> dict[str, Any]:
    """A base64url JWT segment as a JSON object; TokenInvalid with the given reasons if not.
    RecursionError counts as not JSON: a deeply nested segment must be a 401, never a 500."""
    try:
        value = json.loads(_b64decode(segment))
    except (ValueError, RecursionError) as exc:
        raise TokenInvalid(not_json) from exc
    if not isinstance(value, dict):
        raise TokenInvalid(not_object)
    return value


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
