# SPDX-License-Identifier: EUPL-1.2
"""The hub's own JWT parser (identity/tokens.py, ADR: PyJWT's base64 check cost 6x the RSA
verification) against PyJWT on a hypothesis-generated corpus of valid, tampered and malformed
tokens: both must accept and refuse the same tokens.

The reference is PyJWT as a JWKS client uses it: the key chosen by the header's `kid` from the
realm's key set (`PyJWKSet`), then `jwt.decode` with the same algorithms, issuer, audience,
leeway and required claims. Keys are made here; nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from identity.tokens import (
    ALLOWED_ALGORITHMS,
    JWKSCache,
    TokenInvalid,
    TokenVerifier,
    VerifierConfig,
)

ISSUER = "http://localhost:8080/realms/region"
AUDIENCE = "hub-api"
LEEWAY = 30
REQUIRED = ["exp", "iat", "iss", "aud", "sub"]

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
STRANGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key, kid: str, alg: str) -> dict:
    algorithm = jwt.get_algorithm_by_name(alg)
    entry = json.loads(algorithm.to_jwk(key.public_key()))
    return entry | {"kid": kid, "alg": alg, "use": "sig"}


JWKS = {"keys": [_jwk(RSA_KEY, "rsa-1", "RS256"), _jwk(EC_KEY, "ec-1", "ES256")]}
REFERENCE_KEYS = jwt.PyJWKSet.from_dict(JWKS)
SIGNERS = {"rsa-1": (RSA_KEY, "RS256"), "ec-1": (EC_KEY, "ES256")}


def ours(token: str) -> bool:
    config = VerifierConfig(
        issuer=ISSUER, audience=AUDIENCE, jwks_url="memory:", leeway_seconds=LEEWAY
    )
    verifier = TokenVerifier(config, JWKSCache(config, fetch=lambda url, timeout: JWKS))
    try:
        verifier.verify(token)
    except TokenInvalid:
        return False
    return True


# RFC 7519 §2: a NumericDate is a JSON number. PyJWT also takes a numeric string ("exp":
# "1796408413"); the hub does not. The one deliberate difference, applied to the reference.
TIME_CLAIMS = ("exp", "iat", "nbf")


def _numeric_dates(token: str) -> bool:
    claims = jwt.decode(token, options={"verify_signature": False})
    return all(
        isinstance(claims[c], int | float) and not isinstance(claims[c], bool)
        for c in TIME_CLAIMS
        if c in claims
    )


def reference(token: str) -> bool:
    try:
        if not _numeric_dates(token):
            return False
        kid = jwt.get_unverified_header(token).get("kid")
        key = REFERENCE_KEYS[kid]
        jwt.decode(
            token,
            key,
            algorithms=list(ALLOWED_ALGORITHMS),
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=LEEWAY,
            options={"require": REQUIRED},
        )
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return False
    return True


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(header: dict, body: dict, key, alg: str) -> str:
    """A JWS made by hand: PyJWT's encode() refuses some of the bad tokens the corpus needs
    (a non-string issuer, an HMAC secret that is a public key)."""
    signing_input = (
        f"{b64(json.dumps({'alg': alg, **header}).encode())}.{b64(json.dumps(body).encode())}"
    )
    if alg == "HS256":
        mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64(mac)}"
    signature = jwt.get_algorithm_by_name(alg).sign(signing_input.encode(), key)
    return f"{signing_input}.{b64(signature)}"


# The classic confusion: the realm's public key (PEM, as published) used as an HMAC secret.
PUBLIC_PEM = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


# Times are kept ≥ 5 s away from the leeway's edges, so that the second between the two
# verifications cannot decide.
PAST = st.integers(-100_000, -LEEWAY - 5)  # an exp this far back has expired
VALID_EXP = st.integers(-LEEWAY + 5, 100_000)
VALID_START = st.integers(-100_000, LEEWAY - 5)  # iat, nbf
FUTURE = st.integers(LEEWAY + 5, 100_000)
MUTATIONS = ["iss", "aud", "drop", "type", "expired", "iat-future", "nbf-future"]


@st.composite
def claims(draw) -> dict:
    """Valid claims, half of the time with one thing wrong."""
    now = int(time.time())
    doc = {
        "iss": ISSUER,
        "aud": draw(st.sampled_from([AUDIENCE, [AUDIENCE, "account"], ["account", AUDIENCE]])),
        "sub": draw(st.sampled_from(["user-1", "4f1c-…", ""])),
        "exp": now + draw(VALID_EXP),
        "iat": now + draw(VALID_START),
        "azp": "hub-web",
    }
    if draw(st.booleans()):
        doc["nbf"] = now + draw(VALID_START)
    mutation = draw(st.sampled_from([None] * len(MUTATIONS) + MUTATIONS))
    if mutation == "iss":
        doc["iss"] = draw(st.sampled_from([ISSUER + "/", "http://evil.example/realms/region", 1]))
    elif mutation == "aud":
        doc["aud"] = draw(st.sampled_from([["account"], "other", [], 7, None, AUDIENCE.upper()]))
    elif mutation == "drop":
        doc.pop(draw(st.sampled_from(REQUIRED)))
    elif mutation == "type":
        name = draw(st.sampled_from(["exp", "iat", "nbf"]))
        doc[name] = draw(st.sampled_from(["soon", None, True, [1], str(now + 300)]))
    elif mutation == "expired":
        doc["exp"] = now + draw(PAST)
    elif mutation == "iat-future":
        doc["iat"] = now + draw(FUTURE)
    elif mutation == "nbf-future":
        doc["nbf"] = now + draw(FUTURE)
    return doc


@st.composite
def signed(draw) -> str:
    """A token signed by a realm key (or, now and then, by the wrong key, under another kid,
    or with an algorithm its key is not for)."""
    kid = draw(st.sampled_from(["rsa-1", "ec-1"]))
    key, alg = SIGNERS[kid]
    header = {"kid": kid, "typ": "JWT"}
    trouble = draw(st.sampled_from([None] * 6 + ["stranger", "kid", "no-kid", "alg"]))
    if trouble == "stranger":
        key = STRANGER if alg == "RS256" else ec.generate_private_key(ec.SECP256R1())
    elif trouble == "kid":
        header["kid"] = draw(
            st.sampled_from(["unknown", "", "ec-1" if kid == "rsa-1" else "rsa-1"])
        )
    elif trouble == "no-kid":
        del header["kid"]
    elif trouble == "alg":
        alg = draw(st.sampled_from(["RS384", "PS256", "ES384"]))
        if alg == "ES384":
            key = ec.generate_private_key(ec.SECP384R1())
        elif kid == "ec-1":
            key = RSA_KEY
    return sign(header, draw(claims()), key, alg)


def _forged_header(token: str, header: dict) -> str:
    _, payload, signature = token.split(".")
    return ".".join([b64(json.dumps(header).encode()), payload, signature])


@st.composite
def tampered(draw) -> str:  # noqa: PLR0911 (one return per way of tampering)
    token = draw(signed())
    head, payload, signature = token.split(".")
    how = draw(
        st.sampled_from(
            [
                "flip",
                "truncate",
                "pad",
                "alg-none",
                "hs256",
                "swap-payload",
                "drop-signature",
                "extra-part",
                "whitespace",
                "not-json",
                "array",
                "nested",
                "non-alphabet",
            ]
        )
    )
    if how == "flip":
        where = draw(st.integers(0, len(token) - 1))
        char = draw(st.sampled_from("AbZ09-_"))
        return token[:where] + char + token[where + 1 :]
    if how == "truncate":
        return token[: draw(st.integers(0, len(token) - 1))]
    if how == "pad":
        return f"{head}.{payload}=.{signature}"
    if how == "alg-none":
        return _forged_header(token, {"alg": "none", "kid": "rsa-1"}).rsplit(".", 1)[0] + "."
    if how == "hs256":
        return sign({"kid": "rsa-1"}, json.loads(_b64d(payload)), PUBLIC_PEM, "HS256")
    if how == "swap-payload":
        other = b64(json.dumps({"sub": "admin", "iss": ISSUER, "aud": AUDIENCE}).encode())
        return f"{head}.{other}.{signature}"
    if how == "drop-signature":
        return f"{head}.{payload}."
    if how == "extra-part":
        return f"{token}.{signature}"
    if how == "whitespace":
        return f" {token}\n"
    if how == "not-json":
        return f"{b64(b'{not json')}.{payload}.{signature}"
    if how == "array":
        return f"{head}.{b64(b'[1, 2]')}.{signature}"
    if how == "nested":
        return f"{b64(b'[' * 5000 + b']' * 5000)}.{payload}.{signature}"
    return f"{head}.{payload}.{signature[:5]}!{signature[5:]}"


def _b64d(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


garbage = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="abcXYZ019-_.=", max_size=400),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=st.one_of(signed(), tampered(), garbage))
def test_the_hub_and_pyjwt_agree_on_every_token(token):
    assert ours(token) == reference(token), token


def test_the_corpus_holds_tokens_both_accept():
    """The generator is not all refusals: a plain valid token of each key passes both."""
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "exp": now + 300, "iat": now}
    for kid, (key, alg) in SIGNERS.items():
        token = sign({"kid": kid}, body, key, alg)
        assert ours(token)
        assert reference(token)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_refused_algorithms_are_refused_by_both(alg):
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u", "exp": now + 300, "iat": now}
    if alg == "HS256":  # the RSA public key used as an HMAC secret
        token = sign({"kid": "rsa-1"}, body, PUBLIC_PEM, "HS256")
    else:
        head = b64(json.dumps({"alg": "none", "kid": "rsa-1"}).encode())
        token = f"{head}.{b64(json.dumps(body).encode())}."
    assert not ours(token)
    assert not reference(token)


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", [True, "1796408413", None, [1]])
def test_a_time_claim_that_is_not_a_number_is_refused(claim, value):
    """RFC 7519 NumericDate: a JSON number. `true` once passed (bool is an int in Python)."""
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u", "exp": now + 300, "iat": now - 5}
    body[claim] = value
    key, alg = SIGNERS["rsa-1"]
    assert not ours(sign({"kid": "rsa-1"}, body, key, alg))
