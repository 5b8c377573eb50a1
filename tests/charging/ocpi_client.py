# SPDX-License-Identifier: EUPL-1.2
"""A CPO platform as OCPI 2.2.1 describes it, written from the specification and its examples
(github.com/ocpi/ocpi, tag 2.2.1, commit 4809735: credentials.asciidoc, mod_locations.asciidoc,
transport_and_format.asciidoc; examples/credentials_example.json, location_example.json,
location_patch_example_status.json), not from the hub's code.

It serves its own versions and version details on a real local HTTP server (the hub calls them
during registration, with the CPO's token B), and talks to the hub through a `send` function
(pytest-django's client here; any HTTP client would do). A live operator cannot run here, so
this stands in for one.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.charging.ocpi_examples import EXAMPLES
from tests.local_http import LocalServer, QuietHandler


def example(name: str) -> dict:
    """A JSON example of the specification, verbatim (tests/charging/ocpi_examples.py)."""
    return copy.deepcopy(EXAMPLES[name])


def header(token: str) -> str:
    """transport_and_format: "Token" + space + base64 of the UTF-8 token (RFC 4648)."""
    return "Token " + base64.b64encode(token.encode("utf-8")).decode("ascii")


@dataclass
class Answer:
    http: int
    body: dict

    @property
    def code(self) -> int:
        return self.body.get("status_code", 0)

    @property
    def data(self) -> Any:
        return self.body.get("data")


class CpoServer(LocalServer):
    """The CPO's own versions endpoint and its 2.2.1 details, guarded by its token B."""

    def __init__(self, token_b: str):
        self.token_b = token_b
        self.calls: list[tuple[str, str]] = []
        super().__init__(self._handler())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.calls.append((self.path, self.headers.get("Authorization", "")))
                if self.headers.get("Authorization") != header(server.token_b):
                    return self._send(401, {"status_code": 2000, "timestamp": _now()})
                base = server.url
                if self.path == "/ocpi/versions":
                    data = [{"version": "2.2.1", "url": f"{base}/ocpi/2.2.1"}]
                elif self.path == "/ocpi/2.2.1":
                    data = {
                        "version": "2.2.1",
                        "endpoints": [
                            {
                                "identifier": "credentials",
                                "role": "SENDER",
                                "url": f"{base}/ocpi/2.2.1/credentials",
                            },
                            {
                                "identifier": "locations",
                                "role": "SENDER",
                                "url": f"{base}/ocpi/2.2.1/locations",
                            },
                        ],
                    }
                else:
                    return self._send(404, {"status_code": 2000, "timestamp": _now()})
                return self._send(200, {"data": data, "status_code": 1000, "timestamp": _now()})

            def _send(self, status: int, body: dict):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler


def _now() -> str:
    return "2026-12-08T07:00:00Z"


@dataclass
class Cpo:
    """The CPO's side of the handshake and of the Locations module (it is the Sender)."""

    send: Any  # (method, path, headers, body bytes) -> (status, body bytes)
    versions_url: str  # its own versions endpoint
    country_code: str = "DE"
    party_id: str = "SWH"
    name: str = "Stadtwerke Haldensleben"
    token_b: str = field(default_factory=lambda: str(uuid.uuid4()))
    token_c: str = ""
    locations_url: str = ""

    def request(
        self, method: str, url: str, token: str, body: Any = None, raw: bytes = b""
    ) -> Answer:
        path = urlsplit(url).path
        data = raw or (json.dumps(body).encode() if body is not None else b"")
        headers = {"Authorization": header(token), "X-Request-ID": str(uuid.uuid4())}
        status, answer = self.send(method, path, headers, data)
        try:
            parsed = json.loads(answer or b"{}")
        except ValueError:
            parsed = {"unparsed": answer[:200]}
        return Answer(status, parsed)

    def credentials_object(self) -> dict:
        """credentials_example.json with this CPO's token, URL and role."""
        body = example("credentials_example.json")
        body["token"] = self.token_b
        body["url"] = self.versions_url
        body["roles"][0].update(
            country_code=self.country_code,
            party_id=self.party_id,
            business_details={"name": self.name},
        )
        return body

    def register(self, hub_versions_url: str, token_a: str) -> Answer:
        """credentials.asciidoc, "Registration": versions, details, POST credentials with A."""
        versions = self.request("GET", hub_versions_url, token_a)
        assert versions.code == 1000, versions.body
        ours = next(v for v in versions.data if v["version"] == "2.2.1")
        details = self.request("GET", ours["url"], token_a)
        assert details.code == 1000, details.body
        endpoints = {(e["identifier"], e["role"]): e["url"] for e in details.data["endpoints"]}
        credentials_url = next(u for (i, _r), u in endpoints.items() if i == "credentials")
        self.locations_url = endpoints[("locations", "RECEIVER")]
        answer = self.request("POST", credentials_url, token_a, self.credentials_object())
        if answer.code == 1000:
            self.token_c = answer.data["token"]
        return answer

    def location_url(self, location_id: str, *rest: str) -> str:
        parts = [self.country_code, self.party_id, location_id, *rest]
        return "/".join([self.locations_url.rstrip("/"), *parts])

    def location(self, location_id: str, lat: float, lon: float, **changes) -> dict:
        """location_example.json ("Gent Zuid", two EVSEs) moved to this CPO and place."""
        body = copy.deepcopy(example("location_example.json"))
        body.update(
            country_code=self.country_code,
            party_id=self.party_id,
            id=location_id,
            coordinates={"latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"},
            country="DEU",
            time_zone="Europe/Berlin",
            operator={"name": self.name},
        )
        body.update(changes)
        return body

    def put_location(self, body: dict) -> Answer:
        return self.request("PUT", self.location_url(body["id"]), self.token_c, body)

    def patch_evse(self, location_id: str, evse_uid: str, body: dict) -> Answer:
        return self.request("PATCH", self.location_url(location_id, evse_uid), self.token_c, body)

    def get(self, location_id: str, *rest: str) -> Answer:
        return self.request("GET", self.location_url(location_id, *rest), self.token_c)
