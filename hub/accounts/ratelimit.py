# SPDX-License-Identifier: EUPL-1.2
"""Rate limits of the API per client (or per person), counted in Redis in one-minute windows."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from hub.accounts.models import ApiClient
from hub.core.errors import RateLimited

WINDOW_SECONDS = 60
PORTAL_PREFIX = "dev-"  # client ids the developer portal hands out (hub.accounts.clients)
CLIENT_CACHE_SECONDS = 30


def client_cache_key(client_id: str) -> str:
    return f"hub:api-client:{client_id}"


def client_policy(client_id: str) -> tuple[int, bool]:
    """(requests per minute, revoked?) of a client; cached briefly so a revocation lands fast."""
    key = client_cache_key(client_id)
    cached = cache.get(key)
    if cached is None:
        row = (
            ApiClient.objects.filter(client_id=client_id)
            .values_list("rate_limit", "revoked_at")
            .first()
        )
        if row is None:
            # A portal client the hub no longer knows (its owner deleted) is revoked; the
            # platform's own clients (hub, ogc, ckan) get the default limit.
            cached = (settings.HUB_API_RATE_LIMIT, client_id.startswith(PORTAL_PREFIX))
        else:
            cached = (row[0], row[1] is not None)
        cache.set(key, cached, CLIENT_CACHE_SECONDS)
    return cached


def check(bucket: str, limit: int) -> None:
    """Count one request of `bucket`; RateLimited once the window holds more than `limit`."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"hub:rl:{bucket}:{window}"
    client = cache._cache.get_client(key, write=True)  # the Redis client of Django's cache
    pipe = client.pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS + 5)
    count, _ = pipe.execute()
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        raise RateLimited(limit, retry_after)
