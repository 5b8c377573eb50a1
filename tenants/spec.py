# SPDX-License-Identifier: EUPL-1.2
"""The schema of a tenant file (tenants/<slug>.yaml) and its validation.

`load_tenants(folder)` reads every file, checks each against the schema and all of them against
each other and the official register, and returns either the desired tenants or every problem
found, each naming file, field and reason. Nothing is applied while a single problem remains.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from tenants.register import VG5000_SCALE, VG5000_SOURCE, Register

MAX_FILE_BYTES = 2 * 1024 * 1024
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Kind(StrEnum):
    MUNICIPALITY = "municipality"
    ASSOCIATION = "association"  # Verbandsgemeinde
    DISTRICT = "district"
    NETWORK = "network"
    CENTRE = "centre"


class Service(StrEnum):
    OPEN_DATA = "open_data"
    PARTICIPATION = "participation"
    MOBILITY = "mobility"
    SENSORS = "sensors"
    COLLABORATION = "collaboration"
    SKILLS = "skills"


# Which official key each kind carries, and how long it is.
KEY_OF_KIND: dict[Kind, tuple[str, int] | None] = {
    Kind.MUNICIPALITY: ("ags", 8),
    Kind.DISTRICT: ("ags", 5),
    Kind.ASSOCIATION: ("ars", 9),
    Kind.NETWORK: None,
    Kind.CENTRE: None,
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Contact(Strict):
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    phone: str | None = Field(None, pattern=r"^\+?[0-9 ()/-]{5,30}$")
    website: HttpUrl | None = None
    address: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def _at_least_one(self) -> Contact:
        if not (self.email or self.phone or self.website):
            raise ValueError("give at least one of email, phone, website")
        return self


class IdentityProvider(Strict):
    """An upstream directory of the tenant, linked to its Keycloak organization."""

    alias: Annotated[str, Field(pattern=SLUG, max_length=60)]
    protocol: Literal["oidc", "saml"]
    display_name: Annotated[str, Field(min_length=1, max_length=120)]
    # OIDC: the issuer's discovery document; SAML: the IdP's metadata.
    metadata_url: HttpUrl
    client_id: str | None = None
    # The name of the environment variable holding the client secret: secrets are never in YAML.
    client_secret_env: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")] | None = None
    domains: list[str] = []
    # The hub role of a person who signs in through this directory and has no other role yet.
    default_role: Literal["citizen", "editor", "moderator", "tenant-admin", "developer"] = "citizen"


class Boundary(Strict):
    """An explicit boundary, for tenants whose area is not an official unit."""

    geojson: dict[str, Any]
    source: Annotated[str, Field(min_length=1, max_length=200)]


class TenantSpec(Strict):
    slug: Annotated[str, Field(pattern=SLUG, min_length=2, max_length=60)]
    name: Annotated[str, Field(min_length=2, max_length=200)]
    short_name: Annotated[str, Field(min_length=2, max_length=80)] | None = None
    kind: Kind
    ags: str | None = None
    ars: str | None = None
    parents: list[Annotated[str, Field(pattern=SLUG)]] = []
    contact: Contact
    services: list[Service] = []
    identity_provider: IdentityProvider | None = None
    mail_domains: list[Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")]] = []
    boundary: Boundary | None = None
    # The tenant's own logo or coat of arms (an https address), shown on its catalogue page;
    # without one, the hub draws an emblem from its name (/t/<slug>/emblem.svg).
    logo: HttpUrl | None = None

    @model_validator(mode="after")
    def _keys_match_kind(self) -> TenantSpec:
        wanted = KEY_OF_KIND[self.kind]
        for key in ("ags", "ars"):
            value = getattr(self, key)
            if wanted is None or wanted[0] != key:
                if value is not None:
                    raise KeyProblem(key, f"a {self.kind.value} has no {key.upper()}")
                continue
            length = wanted[1]
            if value is None:
                raise KeyProblem(key, f"a {self.kind.value} needs its {length}-digit {key.upper()}")
            if not re.fullmatch(rf"\d{{{length}}}", value):
                raise KeyProblem(
                    key, f"{value!r} is not a {length}-digit {key.upper()} (write it as a string)"
                )
        if len(set(self.parents)) != len(self.parents):
            raise KeyProblem("parents", "a parent is listed twice")
        if self.slug in self.parents:
            raise KeyProblem("parents", "a tenant cannot be its own parent")
        if len(set(self.services)) != len(self.services):
            raise KeyProblem("services", "a service is listed twice")
        return self

    @property
    def official_key(self) -> str | None:
        return self.ags or self.ars


class KeyProblem(ValueError):
    """A problem with one named field, raised inside a validator."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field_name = field_name
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass
class DesiredTenant:
    """A validated tenant with its boundary resolved (None for a network until its members are)."""

    spec: TenantSpec
    file: str
    boundary: MultiPolygon | None = None
    boundary_source: str = ""
    boundary_scale: int | None = None
    children: list[str] = field(default_factory=list)


class TenantsInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the tenant files")
        self.problems = problems


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(file)"


def parse_file(path: Path) -> tuple[TenantSpec | None, list[Problem]]:
    """Parse and schema-check one tenant file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    name,
                    "(file)",
                    f"{size} bytes; a tenant file may have at most "
                    f"{MAX_FILE_BYTES} (put large boundaries in "
                    "'hub boundaries import')",
                )
            ]
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(name, "(file)", "not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(name, where, f"not valid YAML: {reason}")]
    if not isinstance(raw, dict):
        return None, [
            Problem(name, "(file)", "expected a mapping of fields (slug, name, kind, ...)")
        ]
    try:
        return TenantSpec.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, KeyProblem):
                problems.append(Problem(name, cause.field_name, cause.reason))
                continue
            reason = error["msg"]
            if error["type"] == "extra_forbidden":
                reason = "unknown field (check the spelling; see tenants/schema.json)"
            elif error["type"] == "missing":
                reason = "required field is missing"
            elif error["type"] == "enum":
                reason = f"{error['input']!r} is not one of {error['ctx']['expected']}"
            problems.append(Problem(name, _field_path(error["loc"]), reason))
        return None, problems


def _check_geometry(geojson: dict[str, Any]) -> tuple[MultiPolygon | None, str | None]:  # noqa: PLR0911 - one return per kind of problem
    if geojson.get("type") in ("Polygon", "MultiPolygon") and not geojson.get("coordinates"):
        return None, "the geometry is empty"
    try:
        geom = GEOSGeometry(json.dumps(geojson), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        return None, f"not a GeoJSON geometry: {exc}"
    if not isinstance(geom, Polygon | MultiPolygon):
        return None, f"must be a Polygon or MultiPolygon, not a {geom.geom_type}"
    if geom.empty:
        return None, "the geometry is empty"
    if not geom.valid:
        return None, f"the geometry is invalid: {geom.valid_reason}"
    minx, miny, maxx, maxy = geom.extent
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return None, "coordinates must be longitude/latitude (EPSG:4326)"
    return (geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)), None


def load_tenants(folder: Path, register: Register) -> list[DesiredTenant]:  # noqa: PLR0912 - one branch per check, in order
    """Read and validate every tenants/*.yaml; raise TenantsInvalid listing all problems."""
    problems: list[Problem] = []
    desired: dict[str, DesiredTenant] = {}
    keys: dict[str, str] = {}
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    for path in files:
        spec, found = parse_file(path)
        problems += found
        if spec is None:
            continue
        name = str(path)
        if spec.slug in desired:
            problems.append(
                Problem(name, "slug", f"{spec.slug!r} is already used by {desired[spec.slug].file}")
            )
            continue
        tenant = DesiredTenant(spec=spec, file=name)
        key = spec.official_key
        if key is not None:
            key_field = "ags" if spec.ags else "ars"
            if key in keys:
                problems.append(
                    Problem(name, key_field, f"{key} is already the key of {keys[key]}")
                )
            keys[key] = name
            unit = register.get(key)
            if unit is None or unit.level != spec.kind.value:
                problems.append(
                    Problem(
                        name,
                        key_field,
                        f"unknown {key_field.upper()} {key}: no "
                        f"{spec.kind.value} with this key in the official register",
                    )
                )
            elif unit.official_name != spec.name:
                problems.append(
                    Problem(
                        name,
                        "name",
                        f"{spec.name!r} differs from the official "
                        f"name {unit.official_name!r} of {key}",
                    )
                )
            elif spec.boundary is None:
                tenant.boundary = unit.geometry()
                tenant.boundary_source = VG5000_SOURCE
                tenant.boundary_scale = VG5000_SCALE
        if spec.boundary is not None:
            geom, reason = _check_geometry(spec.boundary.geojson)
            if reason:
                problems.append(Problem(name, "boundary.geojson", reason))
            tenant.boundary, tenant.boundary_source = geom, spec.boundary.source
        desired[spec.slug] = tenant

    for tenant in desired.values():
        for index, parent in enumerate(tenant.spec.parents):
            if parent not in desired:
                problems.append(
                    Problem(tenant.file, f"parents[{index}]", f"unknown tenant {parent!r}")
                )
            else:
                desired[parent].children.append(tenant.spec.slug)
    problems += _cycles(desired)
    if problems:
        raise TenantsInvalid(problems)
    return list(desired.values())


def _cycles(desired: dict[str, DesiredTenant]) -> list[Problem]:
    """Report each cycle in the parent relation once, naming its members in order."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    problems = []

    def visit(slug: str, path: list[str]) -> None:
        state[slug] = 1
        for parent in desired[slug].spec.parents:
            if parent not in desired:
                continue
            if state.get(parent) == 1:
                cycle = [*path[path.index(parent) :], parent]
                problems.append(
                    Problem(
                        desired[slug].file,
                        "parents",
                        "cycle in the hierarchy: " + " → ".join(cycle),
                    )
                )
            elif parent not in state:
                visit(parent, [*path, parent])
        state[slug] = 2

    for slug in desired:
        if slug not in state:
            visit(slug, [slug])
    return problems


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a tenant file, for editors (written to tenants/schema.json)."""
    schema = TenantSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Tenant of the Regional Data Hub"
    return schema
