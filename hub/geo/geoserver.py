# SPDX-License-Identifier: EUPL-1.2
"""GeoServer as the production OGC server, configured through its REST API.

Per tenant: a workspace named after the slug, a PostGIS store `hub` reading the `ogc` schema with
the read-only role, and one feature type per registered layer: a SQL view (GeoServer's
"virtual table") of the layer's view filtered to the tenant. Every step looks before it writes,
so publishing twice changes nothing, and a changed password or layer is updated in place.

GeoServer cannot run on the development machine; the tests replay the exchanges of GeoServer's
REST documentation (tests/geo/test_geoserver.py).
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from hub.core.registry import OgcLayer, registry
from hub.geo.mapserver import SLUG, Workspace

STORE = "hub"
TIMEOUT = 30

# GeoServer's JDBC virtual table names the JTS geometry type.
GEOMETRY_TYPES = {"POINT": "Point", "POLYGON": "Polygon", "LINE": "MultiLineString"}


class GeoServerError(RuntimeError):
    """GeoServer refused a request; the message carries its answer."""


class GeoServerPublisher:
    name = "geoserver"

    def __init__(self, url: str, user: str, password: str, session: requests.Session | None = None):
        if not url:
            raise GeoServerError("HUB_GEOSERVER_URL is not set")
        self.rest = f"{url.rstrip('/')}/rest"
        self.session = session or requests.Session()
        self.session.auth = (user, password)
        self.session.headers.update({"Accept": "application/json"})

    @classmethod
    def from_settings(cls) -> GeoServerPublisher:
        ogc = settings.HUB_OGC
        return cls(ogc["geoserver_url"], ogc["geoserver_user"], ogc["geoserver_password"])

    # -- the Publisher interface -------------------------------------------------------------

    def published(self) -> dict[str, str]:
        """Workspaces with the hub's store (the hub's own), each with its feature types."""
        answer = self._call("GET", "/workspaces.json").json()
        workspaces = (answer.get("workspaces") or {}).get("workspace") or []
        found = {}
        for space in workspaces:
            slug = space["name"]
            if not SLUG.fullmatch(slug):
                continue
            types = self._call(
                "GET", f"/workspaces/{slug}/datastores/{STORE}/featuretypes.json", missing_ok=True
            )
            if types is None:
                continue  # not a workspace the hub publishes
            listed = (types.json().get("featureTypes") or {}) or {}
            names = sorted(t["name"] for t in listed.get("featureType") or [])
            found[slug] = ",".join(names)
        return found

    def expected(self, workspace: Workspace) -> str:
        return ",".join(sorted(layer.name for layer in registry.ogc_layers))

    def publish(self, workspace: Workspace) -> None:
        slug = workspace.slug
        if not SLUG.fullmatch(slug):
            raise ValueError(f"not a tenant slug: {slug!r}")
        if self._call("GET", f"/workspaces/{slug}.json", missing_ok=True) is None:
            self._call("POST", "/workspaces", json={"workspace": {"name": slug}})
        store = self._store()
        path = f"/workspaces/{slug}/datastores"
        if self._call("GET", f"{path}/{STORE}.json", missing_ok=True) is None:
            self._call("POST", path, json=store)
        else:
            self._call("PUT", f"{path}/{STORE}", json=store)
        for layer in registry.ogc_layers:
            feature_type = self._feature_type(layer, workspace)
            types = f"{path}/{STORE}/featuretypes"
            if self._call("GET", f"{types}/{layer.name}.json", missing_ok=True) is None:
                self._call("POST", types, json=feature_type)
            else:
                self._call("PUT", f"{types}/{layer.name}", json=feature_type)

    def withdraw(self, slug: str) -> None:
        self._call("DELETE", f"/workspaces/{slug}", params={"recurse": "true"}, missing_ok=True)

    # -- documents ---------------------------------------------------------------------------

    @staticmethod
    def _store() -> dict[str, Any]:
        db, ogc = settings.DATABASES["default"], settings.HUB_OGC
        parameters = {
            "dbtype": "postgis",
            "host": ogc["geoserver_db_host"],
            "port": str(db["PORT"]),
            "database": db["NAME"],
            "schema": "ogc",
            "user": ogc["db_user"],
            "passwd": ogc["db_password"],
            "Expose primary keys": "true",
        }
        return {
            "dataStore": {
                "name": STORE,
                "description": "Regionaler Datenhub (Schema ogc, nur Lesezugriff)",
                "connectionParameters": {
                    "entry": [{"@key": key, "$": value} for key, value in parameters.items()]
                },
            }
        }

    @staticmethod
    def _feature_type(layer: OgcLayer, workspace: Workspace) -> dict[str, Any]:
        columns = ", ".join(["id", *[f for f in layer.fields if f != "id"], "geom"])
        # The slug matched SLUG above; view and columns come from the registry.
        sql = f"SELECT {columns} FROM ogc.{layer.view} WHERE tenant = '{workspace.slug}'"  # noqa: S608
        minx, miny, maxx, maxy = workspace.extent
        box = {"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy, "crs": "EPSG:4326"}
        return {
            "featureType": {
                "name": layer.name,
                "nativeName": layer.name,
                "title": layer.title,
                "abstract": layer.abstract or layer.title,
                "srs": "EPSG:4326",
                "nativeBoundingBox": box,
                "latLonBoundingBox": box,
                "enabled": True,
                "metadata": {
                    "entry": {
                        "@key": "JDBC_VIRTUAL_TABLE",
                        "virtualTable": {
                            "name": layer.name,
                            "sql": sql,
                            "escapeSql": False,
                            "keyColumn": "id",
                            "geometry": {
                                "name": "geom",
                                "type": GEOMETRY_TYPES[layer.geometry],
                                "srid": 4326,
                            },
                        },
                    }
                },
            }
        }

    # -- HTTP --------------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any
    ) -> requests.Response | None:
        try:
            answer = self.session.request(method, self.rest + path, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise GeoServerError(f"GeoServer at {self.rest} did not answer: {exc}") from exc
        if answer.status_code == 404 and missing_ok:
            return None
        if answer.status_code >= 400:
            raise GeoServerError(
                f"GeoServer answered {answer.status_code} to {method} {path}: "
                f"{answer.text.strip()[:500]}"
            )
        return answer
