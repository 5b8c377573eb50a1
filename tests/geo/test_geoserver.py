# SPDX-License-Identifier: EUPL-1.2
"""The GeoServer publisher against a stand-in for GeoServer's REST API.

GeoServer cannot run on this machine, so this is a FAKE: a small HTTP server that answers the
way GeoServer's REST documentation records it (docs.geoserver.org, "REST" → workspaces, stores,
feature types: status codes, JSON shapes including the empty-list quirk `{"workspaces": ""}`,
the messages of a 404, `recurse=true` to delete a workspace with content, basic auth).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from hub.core.registry import registry
from hub.geo.geoserver import GeoServerError, GeoServerPublisher
from hub.geo.publishers import workspace
from tenants import reconcile
from tenants.reconcile.ogc import OgcTarget

USER, PASSWORD = "admin", "geoserver"


class RecordedGeoServer(BaseHTTPRequestHandler):
    """Workspaces → data stores → feature types, as GeoServer's REST API answers them."""

    state: dict = {}
    log: list = []
    fail_with: int | None = None

    def _send(self, status: int, body=None, headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else (body or "").encode()
        self.send_response(status)
        kind = "application/json" if isinstance(body, dict) else "text/plain"
        self.send_header("Content-Type", kind)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> None:  # noqa: PLR0911, PLR0912 - one branch per REST resource, in order
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.log.append((self.command, parts.path, body and json.loads(body)))
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._send(401, "HTTP Status 401 - Unauthorized")
            return
        if self.fail_with:
            self._send(self.fail_with, "java.lang.RuntimeException: store could not be saved")
            return
        path = re.sub(r"\.json$", "", parts.path.removeprefix("/geoserver/rest"))
        spaces = self.state
        if path == "/workspaces":
            if self.command == "GET":
                listed = [{"name": n, "href": f"/{n}.json"} for n in spaces]
                self._send(200, {"workspaces": {"workspace": listed} if listed else ""})
            else:
                name = json.loads(body)["workspace"]["name"]
                spaces[name] = {}
                self._send(201, name, {"Location": f"/geoserver/rest/workspaces/{name}"})
            return
        match = re.fullmatch(
            r"/workspaces/([^/]+)(?:/datastores(?:/([^/]+))?)?(?:/featuretypes(?:/([^/]+))?)?", path
        )
        if not match:
            self._send(404, f"No mapping for {parts.path}")
            return
        ws, store, feature = match.groups()
        if ws not in spaces:
            self._send(404, f"No such workspace: '{ws}' found")
            return
        if path == f"/workspaces/{ws}":
            if self.command == "DELETE":
                if spaces[ws] and parse_qs(parts.query).get("recurse") != ["true"]:
                    self._send(403, "Workspace not empty")
                    return
                del spaces[ws]
            self._send(200, {"workspace": {"name": ws}})
            return
        stores = spaces[ws]
        if path == f"/workspaces/{ws}/datastores":
            name = json.loads(body)["dataStore"]["name"]
            stores[name] = {"store": json.loads(body), "types": {}}
            self._send(201, name)
            return
        if store not in stores:
            self._send(404, f"No such datastore: {ws},{store}")
            return
        if path == f"/workspaces/{ws}/datastores/{store}":
            if self.command == "PUT":
                stores[store]["store"] = json.loads(body)
            self._send(200, stores[store]["store"])
            return
        types = stores[store]["types"]
        if feature is None:
            if self.command == "GET":
                listed = [{"name": n} for n in types]
                self._send(200, {"featureTypes": {"featureType": listed} if listed else ""})
            else:
                document = json.loads(body)
                types[document["featureType"]["name"]] = document
                self._send(201, document["featureType"]["name"])
            return
        if feature not in types:
            self._send(404, f"No such feature type: {ws},{store},{feature}")
            return
        if self.command == "PUT":
            types[feature] = json.loads(body)
        self._send(200, types[feature])

    do_GET = do_POST = do_PUT = do_DELETE = _route  # noqa: N815 - http.server's names

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def geoserver():
    RecordedGeoServer.state, RecordedGeoServer.log = {}, []
    RecordedGeoServer.fail_with = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordedGeoServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/geoserver", RecordedGeoServer
    server.shutdown()
    server.server_close()


def area():
    return MultiPolygon(Polygon.from_bbox((11.3, 52.2, 11.5, 52.35)), srid=4326)


def test_publish_creates_workspace_store_and_one_feature_type_per_layer(geoserver):
    url, fake = geoserver
    publisher = GeoServerPublisher(url, USER, PASSWORD)
    space = workspace("haldensleben", "Stadt Haldensleben", area())
    publisher.publish(space)
    assert [(m, p) for m, p, _ in fake.log if m == "POST"] == [
        ("POST", "/geoserver/rest/workspaces"),
        ("POST", "/geoserver/rest/workspaces/haldensleben/datastores"),
        *[
            ("POST", "/geoserver/rest/workspaces/haldensleben/datastores/hub/featuretypes")
            for _ in registry.ogc_layers
        ],
    ]
    store = fake.state["haldensleben"]["hub"]["store"]["dataStore"]
    entries = {e["@key"]: e["$"] for e in store["connectionParameters"]["entry"]}
    assert entries["dbtype"] == "postgis"
    assert entries["schema"] == "ogc"
    assert entries["user"] == "hub_ogc"  # the read-only role, never the hub's own
    feature = fake.state["haldensleben"]["hub"]["types"]["meldungen"]["featureType"]
    table = feature["metadata"]["entry"]["virtualTable"]
    assert table["sql"].endswith("FROM ogc.meldungen WHERE tenant = 'haldensleben'")
    assert "reporter" not in table["sql"]
    assert table["geometry"] == {"name": "geom", "type": "Point", "srid": 4326}
    assert feature["latLonBoundingBox"]["minx"] == pytest.approx(11.3)
    assert publisher.published() == {"haldensleben": publisher.expected(space)}


def test_publishing_again_updates_in_place(geoserver):
    url, fake = geoserver
    publisher = GeoServerPublisher(url, USER, PASSWORD)
    space = workspace("haldensleben", "Stadt Haldensleben", area())
    publisher.publish(space)
    fake.log.clear()
    publisher.publish(space)
    methods = {m for m, _, _ in fake.log}
    assert "POST" not in methods
    assert "DELETE" not in methods
    assert ("PUT", "/geoserver/rest/workspaces/haldensleben/datastores/hub") in [
        (m, p) for m, p, _ in fake.log
    ]


@pytest.mark.django_db
def test_the_reconcile_target_plans_creates_and_withdraws(geoserver):
    url, fake = geoserver
    target = OgcTarget(GeoServerPublisher(url, USER, PASSWORD))
    seed = {d.spec.slug: d for d in reconcile.desired_tenants()}
    two = [seed["haldensleben"], seed["barleben"]]

    plan = target.plan(two)
    assert sorted((c.action, c.slug) for c in plan.changes) == [
        ("create", "workspace barleben"),
        ("create", "workspace haldensleben"),
    ]
    target.apply(plan, actor="test")
    assert not target.plan(two)
    fake.state["fremd"] = {}  # somebody else's workspace: never touched
    plan = target.plan([seed["haldensleben"]])
    assert [(c.action, c.slug) for c in plan.changes] == [("deactivate", "workspace barleben")]
    target.apply(plan, actor="test")
    assert set(fake.state) == {"haldensleben", "fremd"}
    assert ("DELETE", "/geoserver/rest/workspaces/barleben") in [(m, p) for m, p, _ in fake.log]


def test_errors_name_what_geoserver_said(geoserver):
    url, fake = geoserver
    with pytest.raises(GeoServerError, match="401"):
        GeoServerPublisher(url, USER, "falsch").published()
    fake.fail_with = 500
    with pytest.raises(GeoServerError, match="store could not be saved"):
        GeoServerPublisher(url, USER, PASSWORD).publish(
            workspace("haldensleben", "Stadt Haldensleben", area())
        )
    with pytest.raises(GeoServerError, match="did not answer"):
        GeoServerPublisher("http://127.0.0.1:9", USER, PASSWORD).published()
    with pytest.raises(ValueError, match="slug"):
        GeoServerPublisher(url, USER, PASSWORD).publish(workspace("../x", "X", area()))
