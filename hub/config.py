# SPDX-License-Identifier: EUPL-1.2
"""The hub's configuration: every key declared once, read from the environment in one place.

`configure()` is the only reader of the process environment. Beneath the real environment it reads
the file named by ``HUB_ENV_FILE`` (default ``var/hub.env``, written by the local stack), so that
`hub ...` commands work in a checkout without exporting anything. Production sets real variables.
Secrets have no defaults: a missing one stops start-up with the list of what is missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not describe a usable hub."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    key: str
    parse: Callable[[str], Any]
    default: str | None
    description: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("HUB_SECRET_KEY", str, None, "Django's signing key", secret=True),
    Setting("HUB_DEBUG", _bool, "false", "Django debug mode; never in production"),
    Setting("HUB_ALLOWED_HOSTS", _list, "localhost,127.0.0.1", "host names the web answers to"),
    Setting("HUB_STATE_DIR", Path, str(ROOT / "var"), "folder for state: static files, beat"),
    Setting("HUB_DB_HOST", str, "127.0.0.1", "PostgreSQL host"),
    Setting("HUB_DB_PORT", int, "5432", "PostgreSQL port"),
    Setting("HUB_DB_NAME", str, "hub", "the hub's database"),
    Setting(
        "HUB_DB_USER", str, "hub", "the hub's role: not a superuser, row-level security binds it"
    ),
    Setting("HUB_DB_PASSWORD", str, None, "password of the hub's role", secret=True),
    Setting("HUB_REDIS_URL", str, "redis://127.0.0.1:6379/0", "Redis: Celery broker and cache"),
    Setting("HUB_MQTT_HOST", str, "127.0.0.1", "MQTT broker host"),
    Setting("HUB_MQTT_PORT", int, "1883", "MQTT broker port"),
    Setting("HUB_MQTT_USER", str, "hub", "the hub's own MQTT user (ingest, simulation, health)"),
    Setting("HUB_MQTT_PASSWORD", str, None, "its password", secret=True),
    Setting(
        "HUB_KEYCLOAK_URL",
        str,
        "http://localhost:8080",
        "Keycloak base URL, the same for browsers and the hub (it is part of the token issuer)",
    ),
    Setting(
        "HUB_KEYCLOAK_HEALTH_URL",
        str,
        "http://127.0.0.1:9000/health/ready",
        "Keycloak readiness endpoint (management interface)",
    ),
    Setting("HUB_KEYCLOAK_ADMIN_USER", str, "admin", "Keycloak admin user for reconcile"),
    Setting("HUB_KEYCLOAK_REALM", str, "region", "the region's realm"),
    Setting("HUB_API_AUDIENCE", str, "hub-api", "audience every API token must carry"),
    Setting("HUB_OIDC_CLIENT_SECRET", str, None, "secret of the hub's client", secret=True),
    Setting("HUB_CKAN_CLIENT_SECRET", str, None, "secret of CKAN's client", secret=True),
    Setting("HUB_OGC_CLIENT_SECRET", str, None, "secret of the OGC server's client", secret=True),
    Setting("HUB_PUBLIC_URL", str, "http://localhost:8000", "the hub's URL as browsers see it"),
    Setting("HUB_CKAN_URL", str, "http://localhost:5000", "CKAN's URL as browsers see it"),
    Setting("HUB_CKAN_ORG_PREFIX", str, "", "prefix of the CKAN organizations the hub manages"),
    Setting(
        "HUB_CKAN_API_TOKEN",
        str,
        None,
        "API token of CKAN's sysadmin 'hub' (publishing)",
        secret=True,
    ),
    Setting("HUB_KEYCLOAK_ADMIN_PASSWORD", str, None, "password of that admin user", secret=True),
    Setting("HUB_TENANTS_DIR", Path, str(ROOT / "tenants"), "folder of the tenant YAML files"),
    Setting(
        "HUB_DATA_DIR",
        Path,
        str(ROOT.parent / "shared" / "data"),
        "folder of the shared open data (boundaries, GTFS, ...)",
    ),
    Setting(
        "HUB_BASEMAP_URL",
        str,
        "",
        "XYZ/WMTS tile URL of the base map, e.g. basemap.de's "
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe"
        "/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png; empty: the hub's own context layers only",
    ),
    Setting(
        "HUB_BASEMAP_ATTRIBUTION",
        str,
        "© basemap.de / BKG",
        "attribution shown with the base map (basemap.de: CC BY 4.0, © basemap.de / BKG)",
    ),
    Setting("HUB_RECONCILE_MINUTES", int, "15", "how often Celery beat reconciles tenants/*.yaml"),
    Setting(
        "HUB_OPEN311_ANONYMOUS_PER_MINUTE",
        int,
        "10",
        "Open311 POSTs per minute from one address without an api_key",
    ),
    Setting("HUB_SMTP_HOST", str, "127.0.0.1", "SMTP server for notifications"),
    Setting("HUB_SMTP_PORT", int, "1025", "its port (the local stack's sink listens on 1025)"),
    Setting(
        "HUB_MAIL_FROM",
        str,
        "Regionaler Datenhub <noreply@regionaler-datenhub.invalid>",
        "sender of the hub's e-mails",
    ),
    Setting("HUB_PHOTO_MAX_BYTES", int, str(8 * 1024 * 1024), "largest photo of a report (bytes)"),
    Setting(
        "HUB_REPORT_ANONYMISE_DAYS",
        int,
        "90",
        "days after closing when a report's personal data is removed",
    ),
    Setting(
        "HUB_OGC_PUBLISHER",
        str,
        "mapserver",
        "who serves the OGC layers: mapserver (local stack) or geoserver (REST API)",
    ),
    Setting("HUB_OGC_URL", str, "http://localhost:8081", "the OGC server's URL as clients see it"),
    Setting("HUB_OGC_PORT", int, "8081", "port of the local MapServer gateway (`hub mapserver`)"),
    Setting(
        "HUB_OGC_DB_USER", str, "hub_ogc", "read-only role the OGC server reads the layers with"
    ),
    Setting("HUB_OGC_DB_PASSWORD", str, None, "password of that role", secret=True),
    Setting("HUB_MAPSERV", str, "/usr/lib/cgi-bin/mapserv", "MapServer's CGI program (Debian)"),
    Setting(
        "HUB_MAPSERVER_DIR", str, "", "folder of the mapfiles (default: <HUB_STATE_DIR>/mapserver)"
    ),
    Setting(
        "HUB_GEOSERVER_URL", str, "", "GeoServer's base URL, e.g. https://geo.example/geoserver"
    ),
    Setting("HUB_GEOSERVER_USER", str, "admin", "GeoServer REST user"),
    Setting("HUB_GEOSERVER_PASSWORD", str, "", "its password (only with geoserver)", secret=True),
    Setting(
        "HUB_GEOSERVER_DB_HOST",
        str,
        "",
        "PostgreSQL host as GeoServer reaches it (default: HUB_DB_HOST)",
    ),
    Setting("HUB_HEALTH_TIMEOUT", float, "2.0", "seconds each /healthz probe may take"),
    Setting("HUB_API_RATE_LIMIT", int, "600", "API requests per minute of a client or person"),
    Setting(
        "HUB_MOBILITY_FEEDS",
        str,
        "",
        "YAML file of the GTFS feed registry (default: hub/mobility/feeds.yaml)",
    ),
    Setting(
        "HUB_OTP_URL",
        str,
        "",
        "OpenTripPlanner 2.8 (its GTFS GraphQL API, e.g. http://otp:8080/otp/gtfs/v1) as the"
        " journey planner; empty: the embedded RAPTOR",
    ),
    Setting("HUB_API_CLIENTS_PER_PERSON", int, "5", "active API clients one person may hold"),
    Setting("HUB_DEMO_PASSWORD", str, "", "password of the local demo users; empty: none"),
    Setting(
        "HUB_DEMO_DEPARTMENT_EMAIL",
        str,
        "",
        "local stack only: the address `hub participation seed` gives categories that have "
        "none, with {slug} for the tenant (so that demo reports notify the SMTP sink); "
        "empty in production, where each tenant's staff set their own",
    ),
)


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a KEY=VALUE file (comments and blank lines ignored); a missing file is empty."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE, got {stripped!r}")
        values[key.strip()] = value.strip()
    return values


def layered_environ(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment over the env file: what configure() reads, and what tenant files may
    name by reference (e.g. the variable holding an upstream directory's client secret)."""
    environ = os.environ if environ is None else environ
    env_file = Path(environ.get("HUB_ENV_FILE", str(ROOT / "var" / "hub.env")))
    return {**read_env_file(env_file), **environ}


def configure(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every declared setting, parsed; raise ConfigError naming each missing or bad key."""
    layered = layered_environ(environ)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in SETTINGS:
        raw = layered.get(setting.key, setting.default)
        if raw is None:
            problems.append(f"{setting.key} is not set ({setting.description})")
            continue
        try:
            values[setting.key] = setting.parse(raw)
        except ValueError as exc:
            problems.append(f"{setting.key}: {exc}")
    if problems:
        raise ConfigError(
            "The hub's configuration is incomplete (set these environment variables, "
            "or run 'make up' for the local stack):\n  - " + "\n  - ".join(problems)
        )
    return values
