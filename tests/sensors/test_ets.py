# SPDX-License-Identifier: EUPL-1.2
"""The official OGC conformance suite for SensorThings (ets-sta10 1.5, TestNG, fetched by
`make up` into var/dist) against the stack's running hub, as a client outside sees it.

Level 1 (Sensing Core) reads what `make up` seeded: every entity set must hold entities, the
first of each linked all the way (a Thing's HistoricalLocations, an Observation's
FeatureOfInterest), `$ref`, `$value`, addressing.

Levels 2 (Create-Update-Delete) and 3 (Filtering) write, and delete every entity they can see:
they run against a test server of the test database (pytest-django's live_server) at one
tenant's address, `/t/haldensleben/sta/v1.1`. The suite sends no credentials, so a small proxy
in front of the server adds an editor's Bearer token to every request (a token of a throwaway
Keycloak realm, tests/identity/conftest.py) and passes everything else through as it came:
method, raw path and query, Host, body, and the answers' status and headers. The run makes
about 1,600 requests, more than a person's 600 per minute, so the limit is raised for it.
docs/dev/sta-conformance.md says what the levels check.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings

from hub.accounts import auth
from tests.local_http import LocalServer, QuietHandler, serving

JAR = Path(settings.STATE_DIR) / "dist" / "ets-sta10-1.5-aio.jar"
TIMEOUT = 900  # a run takes ~20 s here; a busy machine gets time, not a flaky failure


def _results(home: Path) -> ET.Element:
    [found] = home.glob("testng/*/testng-results.xml")
    return ET.parse(found).getroot()


def run_levels(ics: int, iut: str, home: Path) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """{level: {status: [(test, message)]}} of the conformance levels 1…ics, run in one JVM as
    the suite does (config methods aside)."""
    props = home / "test-run-props.xml"
    # No DOCTYPE: the properties DTD would be fetched from java.sun.com.
    props.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<properties version="1.0">\n'
        f'  <entry key="iut">{iut}</entry>\n  <entry key="ics">{ics}</entry>\n</properties>\n'
    )
    java = shutil.which("java")
    assert java, "java is missing (make up installs openjdk-17-jre-headless)"
    subprocess.run(
        [java, f"-Duser.home={home}", "-jar", str(JAR), str(props)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    outcome = {level: {"PASS": [], "FAIL": [], "SKIP": []} for level in range(1, ics + 1)}
    for test in _results(home).iter("test"):
        level = int(test.get("name").rsplit(" ", 1)[-1])  # "Conformance Level 2"
        if level > ics:  # the suite lists every level; those above ics are skipped
            continue
        for method in test.iter("test-method"):
            if method.get("is-config") == "true":
                continue
            exception = method.find("exception")
            message = "" if exception is None else (exception.findtext("message") or "").strip()
            outcome[level][method.get("status")].append((method.get("name"), message[:500]))
    return outcome


def _failed(outcome: dict[str, list[tuple[str, str]]]) -> list[str]:
    return [f"{name}: {message}" for name, message in outcome["FAIL"] + outcome["SKIP"]]


def test_sensing_core_passes_the_official_suite(tmp_path):
    assert JAR.exists(), f"{JAR} is missing: `make up` fetches it from Maven Central"
    iut = f"{settings.CONFIG['HUB_PUBLIC_URL'].rstrip('/')}/sta/v1.1"
    outcome = run_levels(1, iut, tmp_path)[1]
    assert not _failed(outcome), "\n".join(_failed(outcome))
    assert len(outcome["PASS"]) == 6  # the six tests of level 1 in ets-sta10 1.5


class TokenProxy(LocalServer):
    """Forwards every request to `upstream` as it came, with `Authorization` added."""

    def __init__(self, upstream: str, token: str):
        self.upstream, self.token = urlsplit(upstream), token
        super().__init__(ProxyHandler)


class ProxyHandler(QuietHandler):
    protocol_version = "HTTP/1.1"
    server: TokenProxy

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        headers["Authorization"] = f"Bearer {self.server.token}"
        upstream = http.client.HTTPConnection(
            self.server.upstream.hostname, self.server.upstream.port, timeout=120
        )
        try:  # the raw path and query, the client's Host
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _forward  # noqa: N815 - http.server's names


@pytest.fixture
def proxied(live_server, token_realm, seeded, settings, monkeypatch):
    """The live server behind a TokenProxy with an editor's token of Haldensleben."""
    verifier = token_realm.verifier()
    monkeypatch.setattr(auth, "verifier", lambda: verifier)
    settings.HUB_API_RATE_LIMIT = 100_000
    token = token_realm.forge(  # as tests/identity's token_for, valid for an hour
        azp="hub",
        preferred_username="person",
        groups=["/tenants/haldensleben/editor"],
        organization=["haldensleben"],
        exp=int(time.time()) + 3600,
    )
    with serving(TokenProxy(live_server.url, token)) as proxy:
        yield proxy


THING = {
    "name": "Pegel Ohre",
    "description": "Wasserstand an der Brücke",
    "Locations": [
        {
            "name": "Brücke",
            "description": "Ohrebrücke",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [11.42, 52.29]},
        }
    ],
    "Datastreams": [
        {
            "name": "Wasserstand",
            "description": "Pegel in cm",
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "unitOfMeasurement": {"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"},
            "Sensor": {
                "name": "Radarpegel",
                "description": "x",
                "encodingType": "text/html",
                "metadata": "https://example.org/radar",
            },
            "ObservedProperty": {
                "name": "Wasserstand",
                "definition": "https://example.org/pegel",
                "description": "Wasserstand",
            },
            "Observations": [{"phenomenonTime": "2026-11-02T08:00:00Z", "result": 131}],
        }
    ],
}


def test_create_update_delete_and_filtering_pass_the_official_suite(proxied, tmp_path):
    assert JAR.exists(), f"{JAR} is missing: `make up` fetches it from Maven Central"
    iut = f"{proxied.url}/t/haldensleben/sta/v1.1"
    made = requests.post(f"{iut}/Things", json=THING, timeout=60)  # level 1 reads it first
    assert made.status_code == 201, made.text
    outcome = run_levels(3, iut, tmp_path)
    problems = [f"level {level}: {p}" for level in (1, 2, 3) for p in _failed(outcome[level])]
    # One test of the suite cannot pass against a server that serves a number as a number:
    # checkQueriesPriorityOrdering reads the result 6 with org.json's getString, which since
    # org.json 20230227 (the jar bundles 20240303) refuses anything but a JSON string. What it
    # checks before that line (the count 6 of `result gt '3'` and $top with $skip) holds, or
    # it would fail with another message.
    known = "level 3: checkQueriesPriorityOrdering: An Exception occurred during testing!:"
    assert [p for p in problems if not p.startswith(known)] == [], "\n".join(problems)
    assert any('JSONObject["result"] is not a string' in p for p in problems), problems
    # ets-sta10 1.5: level 1 has 6 tests, level 2 has 8, level 3 has 8 (7 pass, see above)
    assert [len(outcome[level]["PASS"]) for level in (1, 2, 3)] == [6, 8, 7]
