# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of identity (make bench): JWT verification, the API's authentication step and
the browser sign-in round trip, against the running stack. Figures and ratios, not pass/fail.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
# This process measures the authentication step thousands of times a minute.
os.environ["HUB_API_RATE_LIMIT"] = "1000000000"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from hub.accounts.auth import BearerAuth, verifier  # noqa: E402
from hub.accounts.ratelimit import client_cache_key  # noqa: E402
from tests.identity.browser import HUB, Browser  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def ogc_token() -> str:
    response = requests.post(
        f"{settings.HUB_OIDC_ISSUER}/protocol/openid-connect/token",
        timeout=10,
        data={
            "grant_type": "client_credentials",
            "client_id": "ogc",
            "client_secret": settings.HUB_KEYCLOAK["ogc_client_secret"],
        },
    )
    response.raise_for_status()
    return response.json()["access_token"]


def bench_verify(token: str, rounds: int = 5000) -> tuple[list[float], list[float]]:
    """(first sight of a token: signature checked, every later use: remembered)."""
    check = verifier()
    check.verify(token)  # fills the JWKS cache
    first, later = [], []
    for _ in range(rounds):
        check._verified.clear()
        started = time.perf_counter()
        check.verify(token)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        check.verify(token)
        later.append(time.perf_counter() - started)
    return first, later


def bench_auth_step(token: str, rounds: int = 2000) -> list[float]:
    """Verification + rate limit (Redis) + client policy (cache): what every API call adds."""
    cache.delete(client_cache_key("ogc"))  # a policy cached by the web holds its own limit
    auth, factory = BearerAuth(), RequestFactory()
    timings = []
    for _ in range(rounds):
        request = factory.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        started = time.perf_counter()
        auth(request)
        timings.append(time.perf_counter() - started)
    return timings


def bench_http(token: str, rounds: int = 250) -> tuple[list[float], list[float]]:
    # Start with an empty rate-limit window for the client (the default is 600 a minute).
    redis = cache._cache.get_client(None, write=True)
    for key in redis.scan_iter("hub:rl:client:ogc:*"):
        redis.delete(key)
    cache.delete(client_cache_key("ogc"))
    session = requests.Session()
    authed, anonymous = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        session.get(f"{HUB}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        authed.append(time.perf_counter() - started)
        started = time.perf_counter()
        session.get(f"{HUB}/api/v1/t/haldensleben", timeout=10)
        anonymous.append(time.perf_counter() - started)
    return authed, anonymous


def bench_sign_in(rounds: int = 5) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        Browser().sign_in("editor.haldensleben", settings.HUB_DEMO_PASSWORD, next_url="/")
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    print("\nRegional Data Hub — identity benchmarks")
    token = ogc_token()
    first, later = bench_verify(token)
    for label, values in (
        ("first use, signature checked", first),
        ("later uses of the same token", later),
    ):
        print(
            f"JWT verification, cached JWKS, {label} ({len(values)} rounds): "
            f"median {statistics.median(values) * 1e6:.1f} µs, "
            f"p95 {percentile(values, 0.95) * 1e6:.1f} µs   target < 200 µs   "
            f"ratio {percentile(values, 0.95) * 1e6 / 200:.2f}"
        )
    step = bench_auth_step(token)
    print(
        f"API authentication step (verify + Redis rate limit + client policy), {len(step)} rounds: "
        f"median {statistics.median(step) * 1e3:.2f} ms, p95 {percentile(step, 0.95) * 1e3:.2f} ms"
        f"   target < 2 ms   ratio {percentile(step, 0.95) * 1e3 / 2:.2f}"
    )
    authed, anonymous = bench_http(token)
    print(
        f"HTTP through gunicorn, {len(authed)} rounds each: /api/v1/me with bearer "
        f"p95 {percentile(authed, 0.95) * 1e3:.1f} ms; /api/v1/t/haldensleben anonymous "
        f"p95 {percentile(anonymous, 0.95) * 1e3:.1f} ms (different endpoints, for context)"
    )
    sign_in = bench_sign_in()
    print(
        f"browser sign-in round trip (hub → Keycloak forms → callback), {len(sign_in)} rounds: "
        f"median {statistics.median(sign_in) * 1e3:.0f} ms, max {max(sign_in) * 1e3:.0f} ms"
    )


if __name__ == "__main__":
    main()
