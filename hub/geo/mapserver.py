# SPDX-License-Identifier: EUPL-1.2
"""MapServer from Debian as the local stack's OGC server.

The publisher writes one mapfile per tenant (`var/mapserver/<slug>.map`, every registered layer
filtered to the tenant) and MapServer 8's config file, whose MAPS section names them. The
gateway (hub.geo.gateway, port 8081, no Django) is a small HTTP server that hands each request
to the `mapserv` CGI program:

    /<slug>/?SERVICE=WMS&REQUEST=GetCapabilities     WMS 1.3.0 / 1.1.1
    /<slug>/?SERVICE=WFS&REQUEST=GetCapabilities     WFS 2.0.0 / 1.1.0
    /<slug>/ogcapi/collections/meldungen/items       OGC API Features

Mapfiles hold no password: the gateway passes the read-only role's password to MapServer
through libpq's environment (PGPASSWORD).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from hub.core.registry import OgcLayer, registry

log = logging.getLogger(__name__)

SRS = "EPSG:4326 EPSG:25832 EPSG:25833 EPSG:3857 EPSG:4258"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
TEMPLATES = "/usr/share/mapserver/ogcapi/templates/html-plain/"


@dataclass(frozen=True)
class Workspace:
    """What the OGC server publishes for one tenant."""

    slug: str
    title: str
    extent: tuple[float, float, float, float]  # lon/lat, EPSG:4326


def _text(value: str) -> str:
    """A string literal of the mapfile language."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _rgb(color: str) -> str:
    color = color.lstrip("#")
    return " ".join(str(int(color[i : i + 2], 16)) for i in (0, 2, 4))


def service_url(slug: str) -> str:
    return f"{settings.HUB_OGC['url']}/{slug}/"


def _connection() -> str:
    db = settings.DATABASES["default"]
    return (
        f"host={db['HOST']} port={db['PORT']} dbname={db['NAME']} "
        f"user={settings.HUB_OGC['db_user']}"
    )


def _layer(layer: OgcLayer, workspace: Workspace) -> str:
    slug = workspace.slug
    columns = ", ".join(["id", *[f for f in layer.fields if f != "id"], "geom"])
    # MapServer's DATA syntax. The slug is checked against SLUG before it gets here; view and
    # columns come from the registry.
    query = f"SELECT {columns} FROM ogc.{layer.view} WHERE tenant = '{slug}'"  # noqa: S608
    data = f"geom FROM ({query}) AS sub USING UNIQUE id USING SRID=4326"
    size = 10 if layer.geometry == "POINT" else 1
    classes = []
    for value, label, color in layer.classes:
        classes.append(
            f"""    CLASS
      NAME {_text(label)}
      EXPRESSION {_text(value)}
      STYLE SYMBOL "kreis" SIZE {size} COLOR {_rgb(color)} OUTLINECOLOR 255 255 255 WIDTH 1 END
    END"""
        )
    other = "weitere" if layer.classes else layer.title
    if layer.geometry == "POINT":
        style = (
            f'STYLE SYMBOL "kreis" SIZE {size} COLOR {_rgb(layer.color)} '
            "OUTLINECOLOR 255 255 255 WIDTH 1 END"
        )
    elif layer.geometry == "LINE":
        style = f"STYLE COLOR {_rgb(layer.color)} WIDTH 3 END"
    else:
        style = f"STYLE OUTLINECOLOR {_rgb(layer.color)} WIDTH 2 END"
    classes.append(f"    CLASS\n      NAME {_text(other)}\n      {style}\n    END")
    classitem = f"    CLASSITEM {_text(layer.class_item)}\n" if layer.class_item else ""
    return f"""  LAYER
    NAME {_text(layer.name)}
    TYPE {layer.geometry}
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION {_text(_connection())}
    DATA {_text(data)}
    PROJECTION "init=epsg:4326" END
    # The tenant's area: an empty layer has no extent of its own, and OGC API needs one.
    EXTENT {" ".join(f"{v:.6f}" for v in workspace.extent)}
    TEMPLATE "abfragbar"  # any template makes the layer answer GetFeatureInfo
    METADATA
      "ows_title" {_text(layer.title)}
      "ows_abstract" {_text(layer.abstract or layer.title)}
      "ows_srs" {_text(SRS)}
      "ows_include_items" "all"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
      "wfs_getfeature_formatlist" "geojson"
      "oga_use_default_extent_for_getfeature" "false"
    END
{classitem}{chr(10).join(classes)}
  END
"""


def mapfile(workspace: Workspace) -> str:
    """The mapfile of one tenant: every registered layer, filtered to its rows."""
    if not SLUG.fullmatch(workspace.slug):
        raise ValueError(f"not a tenant slug: {workspace.slug!r}")
    minx, miny, maxx, maxy = workspace.extent
    url = service_url(workspace.slug)
    layers = "".join(_layer(layer, workspace) for layer in registry.ogc_layers)
    return f"""# Written by the hub (hub.geo.mapserver) for tenant {workspace.slug}. Do not edit.
MAP
  NAME {_text(workspace.slug)}
  EXTENT {minx:.6f} {miny:.6f} {maxx:.6f} {maxy:.6f}
  SIZE 800 600
  MAXSIZE 4096
  UNITS DD
  IMAGECOLOR 255 255 255
  PROJECTION "init=epsg:4326" END
  SYMBOL NAME "kreis" TYPE ELLIPSE FILLED TRUE POINTS 1 1 END END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/geo+json"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
  END
  WEB
    METADATA
      "ows_title" {_text(workspace.title)}
      "ows_abstract" {_text(f"Öffentliche Ebenen des Regionalen Datenhubs: {workspace.title}")}
      "ows_onlineresource" {_text(url)}
      "ows_srs" {_text(SRS)}
      "ows_enable_request" "*"
      "ows_fees" "keine"
      "ows_accessconstraints" "Datenlizenz Deutschland Namensnennung 2.0 (dl-by-de/2.0)"
      "wms_feature_info_mime_type" "application/vnd.ogc.gml"
      "wfs_getfeature_formatlist" "geojson"
      "oga_onlineresource" {_text(url + "ogcapi")}
      "oga_html_template_directory" {_text(TEMPLATES)}
    END
  END
{layers}END
"""


def config_file(slugs: list[str]) -> str:
    folder = Path(settings.HUB_OGC["mapserver_dir"])
    maps = "\n".join(f"    {_text(slug)} {_text(str(folder / f'{slug}.map'))}" for slug in slugs)
    return f"""# Written by the hub (hub.geo.mapserver). Do not edit.
CONFIG
  ENV
    MS_MAP_NO_PATH "1"
    MS_NO_VERSION "1"
    OGCAPI_HTML_TEMPLATE_DIRECTORY {_text(TEMPLATES)}
  END
  MAPS
{maps}
  END
END
"""


class MapServerPublisher:
    """Writes mapfiles and MapServer's config; the gateway reads them at each request."""

    name = "mapserver"

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or settings.HUB_OGC["mapserver_dir"])

    def published(self) -> dict[str, str]:
        """Slug → mapfile text of what is published now."""
        if not self.folder.is_dir():
            return {}
        return {path.stem: path.read_text() for path in sorted(self.folder.glob("*.map"))}

    def publish(self, workspace: Workspace) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self.folder / f"{workspace.slug}.map", mapfile(workspace))
        self._write_config()

    def withdraw(self, slug: str) -> None:
        (self.folder / f"{slug}.map").unlink(missing_ok=True)
        self._write_config()

    def expected(self, workspace: Workspace) -> str:
        return mapfile(workspace)

    def _write_config(self) -> None:
        _write(self.folder / "mapserver.conf", config_file(sorted(self.published())))


def _write(path: Path, text: str) -> None:
    """Replace `path` atomically: the gateway never reads half a mapfile."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)
