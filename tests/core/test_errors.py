# SPDX-License-Identifier: EUPL-1.2
"""One error shape per surface, walked over the registry: every registered endpoint and page is
provoked into one 4xx, and the answer must have its surface's shape.

- API and webhooks: RFC 9457 `application/problem+json` with `status`, `detail` and `code`;
- Open311: GeoReport v2's error list (`[{"code", "description"}]`), in JSON and in XML;
- SensorThings: FROST's error object (`{"code", "type", "message"}`);
- pages: the hub's error page (`data-code` on the alert), in German by default.

The provocation is the first that applies: a tenant that does not exist (a URL with a slug),
then a method the endpoint does not take.
"""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from hub.core.registry import API, OCPI, OPEN311, PAGE, SENSORTHINGS, WEBHOOK
from tests.core.endpoints import Endpoint, make_samples, registered

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
UNKNOWN = "gibt-es-nicht"
UNUSED_METHODS = ("DELETE", "PATCH", "PUT")


def _shape_problems(surface: str, response) -> list[str]:
    try:
        return _problems(surface, response)
    except (ValueError, ET.ParseError) as error:
        kind = response.get("Content-Type", "")
        return [f"unreadable {kind!r} body ({error}): {response.content[:120]!r}"]


def _problems(surface: str, response) -> list[str]:  # noqa: PLR0911, PLR0912 (a check each)
    status = response.status_code
    kind = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if surface in (API, WEBHOOK):
        if not kind.startswith("application/problem+json"):
            return [f"Content-Type {kind!r}, not application/problem+json"]
        doc = json.loads(body)
        wrong = [k for k in ("status", "detail", "code", "title") if not doc.get(k)]
        if doc.get("status") != status:
            wrong.append(f"status {doc.get('status')} != {status}")
        return [f"problem+json lacks {wrong}"] if wrong else []
    if surface == OPEN311:
        if kind.startswith("text/xml"):
            errors = ET.fromstring(response.content).findall("error")
            items = [
                {"code": e.findtext("code"), "description": e.findtext("description")}
                for e in errors
            ]
        else:
            items = json.loads(body)
        if not isinstance(items, list) or not items:
            return [f"not a GeoReport error list: {body[:120]!r}"]
        wrong = [i for i in items if str(i.get("code")) != str(status) or not i.get("description")]
        return [f"error list items {wrong}"] if wrong else []
    if surface == OCPI:
        doc = json.loads(body)
        code, stamp = doc.get("status_code"), doc.get("timestamp")
        if not isinstance(code, int) or not 2000 <= code < 4000 or not stamp:
            return [f"not an OCPI envelope with an error code: {body[:120]!r}"]
        if not doc.get("status_message"):
            return ["OCPI error without a status_message"]
        return []
    if surface == SENSORTHINGS:
        doc = json.loads(body)
        if doc.get("code") != status or not doc.get("type") or not doc.get("message"):
            return [f"not a SensorThings error object: {body[:120]!r}"]
        return []
    assert surface == PAGE
    if not kind.startswith("text/html"):
        return [f"Content-Type {kind!r}, not an error page"]
    if 'data-code="' not in body or 'lang="de"' not in body:
        return ["not the hub's error page (data-code, German)"]
    return []


def _provoke(client: Client, endpoint: Endpoint, values: dict):
    """(what was done, the response) for the first provocation giving a 4xx."""
    tried = []
    if "slug" in endpoint.params:
        for method in endpoint.methods or ("GET",):
            url = endpoint.url({**values, "slug": UNKNOWN}, method)
            response = client.generic(method, url, b"{}", content_type="application/json")
            tried.append(f"{method} {url} → {response.status_code}")
            if 400 <= response.status_code < 500:
                return tried[-1], response
    method = next(m for m in UNUSED_METHODS if m not in endpoint.methods)
    url = endpoint.url(values, method)
    response = client.generic(method, url, b"{}", content_type="application/json")
    tried.append(f"{method} {url} → {response.status_code}")
    if 400 <= response.status_code < 500:
        return tried[-1], response
    return "; ".join(tried), None


def test_every_endpoint_answers_a_4xx_in_its_surface_shape(seeded):
    values_by_maker, _ = make_samples(seeded["haldensleben"])
    client = Client()
    openapi = client.get("/api/v1/openapi.json").json()["paths"]
    problems, walked = [], Counter()
    for endpoint in registered():
        values = values_by_maker.get(endpoint.sample, {"slug": "haldensleben"})
        done, response = _provoke(client, endpoint, values)
        if response is None:
            problems.append(f"{endpoint} ({endpoint.surface}): no 4xx from {done}")
            continue
        walked[endpoint.surface] += 1
        method = done.split()[0]
        if endpoint.surface == API and method in endpoint.methods:
            # What the API answered, its OpenAPI document declares (schemathesis checks it too).
            declared = openapi[endpoint.route][method.lower()]["responses"]
            if str(response.status_code) not in declared:
                problems.append(f"{endpoint}: {response.status_code} not in {sorted(declared)}")
        for problem in _shape_problems(endpoint.surface, response):
            problems.append(f"{endpoint} ({endpoint.surface}) {done}: {problem}")
    assert not problems, "\n".join(problems)
    assert set(walked) == {API, OPEN311, SENSORTHINGS, WEBHOOK, PAGE, OCPI}, walked


def test_open311_errors_in_xml_have_the_same_shape(seeded):
    """GeoReport v2: 404 for a jurisdiction_id that is not found, said in the error list."""
    response = Client().get("/open311/v2/requests.xml", {"jurisdiction_id": UNKNOWN})
    assert response.status_code == 404
    assert not _shape_problems(OPEN311, response)
    assert "gibt-es-nicht" in response.content.decode()
