# SPDX-License-Identifier: EUPL-1.2
"""Hostile input against every registered endpoint and page (the registry's walk, as the
isolation matrix and the error walk use it), for what OpenAPI does not describe: SensorThings,
Open311, webhooks, pages, and the API's own parameters besides (schemathesis covers the
documented ones, tests/core/test_schemathesis.py).

The corpus holds the classes that once reached a 500 (nesting, NUL, out-of-range dates) and
the usual ones (oversized, wrong types, broken encodings, injection strings). Target: no 5xx
anywhere, and no row written by anything refused.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from hub.core.registry import OPEN311, SENSORTHINGS
from tests.core.endpoints import Endpoint, make_samples, registered
from tests.core.test_isolation import _rows

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

DEEP_FILTER = "(" * 400 + "name eq 'x'" + ")" * 400
DEEP_EXPAND = "Datastreams($expand=Thing($expand=" * 40 + "Locations" + "))" * 40
VALUES = {
    "nul": "a\x00b",
    "huge": "x" * 60_000,
    "sql": "' OR 1=1; DROP TABLE participation_report; --",
    "markup": "<script>alert(1)</script>",
    "far future": "9999-12-31T23:59:59Z",
    "far past": "0001-01-01T00:00:00+14:00",
    "impossible date": "2026-13-45T25:61:61Z",
    "negative": "-99999999999999999999",
    "unicode": "Ǆ\u202e\ufeff🚌",
    "deep filter": DEEP_FILTER,
    "deep expand": DEEP_EXPAND,
}
# Parameters the hub's views read, by surface; each is tried alone, so that an early refusal of
# one does not hide another.
PARAMS = {
    SENSORTHINGS: ("$filter", "$expand", "$orderby", "$select", "$top", "$skip", "$count"),
    OPEN311: (
        "jurisdiction_id",
        "service_code",
        "status",
        "start_date",
        "end_date",
        "service_request_id",
        "page_size",
    ),
}
COMMON = ("q", "page", "von", "bis", "datum", "simplify", "status", "kategorie", "bbox", "lang")
BODIES = {
    "deep json": b"[" * 5000 + b"]" * 5000,
    "deep object": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "nul in json": json.dumps({"name": "a\x00b", "description": "a\x00b"}).encode(),
    "escaped nul": b'{"name": "a\\u0000b"}',
    "not utf-8": b'{"name": "\xff\xfe"}',
    "wrong types": json.dumps({"name": [1, {"x": None}], "result": {"a": 1}, "lat": "x"}).encode(),
    "not json": b"{kaputt",
    "huge": b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}',
}


def _server_errors(client: Client, endpoint: Endpoint, values: dict) -> list[str]:
    found = []
    methods = endpoint.methods or ("GET",)
    if "GET" in methods:
        url = endpoint.url(values, "GET")
        for name in PARAMS.get(endpoint.surface, COMMON):
            for label, value in VALUES.items():
                response = client.get(f"{url}?{quote(name)}={quote(value, safe='')}")
                if response.status_code >= 500:
                    found.append(f"GET {url} {name}={label} → {response.status_code}")
        response = client.get(f"{url}?q=%FF%FE")  # a query string that is not UTF-8
        if response.status_code >= 500:
            found.append(f"GET {url}?q=%FF%FE → {response.status_code}")
    for method in (m for m in methods if m != "GET"):
        url = endpoint.url(values, method)
        for label, body in BODIES.items():
            for kind in ("application/json", "application/x-www-form-urlencoded"):
                response = client.generic(method, url, body, content_type=kind)
                if response.status_code >= 500:
                    found.append(f"{method} {url} {label} as {kind} → {response.status_code}")
    if "slug" in endpoint.params:
        for label in ("nul", "unicode", "markup"):
            own = endpoint.url(values, methods[0])
            url = own.replace(f"/{values['slug']}/", f"/{quote(VALUES[label], safe='')}/", 1)
            response = client.generic(methods[0], url)
            if response.status_code >= 500:
                found.append(f"{methods[0]} {url} (slug {label}) → {response.status_code}")
    return found


def test_no_hostile_input_reaches_a_server_error_or_writes(seeded):
    values_by_maker, _ = make_samples(seeded["haldensleben"])
    before = _rows()
    client = Client(raise_request_exception=False)
    problems, walked = [], 0
    for endpoint in registered():
        values = values_by_maker.get(endpoint.sample, {"slug": "haldensleben"})
        problems += _server_errors(client, endpoint, values)
        walked += 1
    assert not problems, "\n".join(problems[:40])
    assert walked > 40  # the registry's endpoints, not a hand list
    changed = {k: (before[k], v) for k, v in _rows().items() if v != before[k]}
    assert not changed, f"rows written by refused requests: {changed}"
