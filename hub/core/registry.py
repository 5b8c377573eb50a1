# SPDX-License-Identifier: EUPL-1.2
"""The app manifest: what each app offers, registered in its AppConfig.ready().

The core only iterates this registry: `hub/urls.py` mounts the registered URLs and API routers,
Celery beat runs the registered periodic tasks, `hub seed` runs the seeds, the portal shows the
services and searches, the catalogue and geo bridges publish the data sets and layers, and the
isolation tests walk every endpoint with the samples the apps give. An app that is not in the
registry is not part of the hub; the core never names an app (docs/dev/adding-an-app.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # only for type hints: the registry is below every app
    from ninja import Router

# -- what an app offers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    name: str
    url: str
    format: str
    description: str = ""


@dataclass(frozen=True)
class PublicDataset:
    """A data set of the hub that is open data: the catalogue bridge keeps a CKAN dataset of it.

    `identifier` is stable for the life of the data set (the CKAN dataset is found by it);
    `tenant` is the slug of the tenant that publishes it.
    """

    identifier: str
    tenant: str
    title: str
    notes: str
    license_id: str
    resources: tuple[Resource, ...]
    tags: tuple[str, ...] = ()
    # EU data themes (codes such as "TRAN"), DCAT-AP.de's dcat:theme.
    themes: tuple[str, ...] = ("GOVE",)
    # Whom the licence requires to be named, when that is not the publishing tenant.
    attribution: str = ""


@dataclass(frozen=True)
class OgcLayer:
    """A layer the OGC server publishes for every tenant (WMS, WFS, OGC API Features).

    `view` is a view in the `ogc` schema with a `tenant` column (the slug), an integer `id`,
    the geometry `geom` (EPSG:4326) and only public columns: the OGC server's database role may
    read nothing else. `classes` colour the map by the value of `class_item`.
    """

    name: str
    title: str
    title_en: str
    view: str
    geometry: str  # "POINT" | "POLYGON" | "LINE"
    fields: tuple[str, ...]
    abstract: str = ""
    class_item: str = ""
    classes: tuple[tuple[str, str, str], ...] = ()  # (value, label, "#rrggbb")
    color: str = "#1f5fa8"


# The surfaces an endpoint can belong to; each renders the hub's errors in its own shape.
PAGE, API, OPEN311, SENSORTHINGS, WEBHOOK = "page", "api", "open311", "sensorthings", "webhook"
OCPI = "ocpi"  # OCPI 2.2.1 (charging status from operators): its own response envelope
SURFACES = (PAGE, API, OPEN311, SENSORTHINGS, WEBHOOK, OCPI)


@dataclass(frozen=True)
class Sample:
    """What an app puts into a tenant so that the isolation matrix can aim at real rows.

    `kwargs` fill the URL parameters of the app's endpoints (`pk`, `token`, ...); `marker` is a
    string the sample wrote into its private rows only: no public answer may ever contain it.
    """

    kwargs: Mapping[str, Any]
    marker: str = ""


SampleMaker = Callable[[Any], Sample]  # (tenant) -> Sample


@dataclass(frozen=True)
class Urls:
    """A URL module of an app, mounted at `prefix` under its `namespace`.

    Every view in it declares who may use it (hub.core.access); `surface` chooses how errors
    are answered. `sample` (a dotted "module:function") makes the rows its endpoints act on.
    """

    module: str
    namespace: str
    prefix: str = ""
    surface: str = PAGE
    sample: str = ""


@dataclass(frozen=True)
class ApiRouter:
    prefix: str
    router: Router
    sample: str = ""


@dataclass(frozen=True)
class Periodic:
    """A Celery beat entry: `task` (its registered name) every `seconds`."""

    name: str
    task: str
    seconds: float


@dataclass(frozen=True)
class Seed:
    """A step of `hub seed` (what `make up` runs): `run(out)` writes one line of progress."""

    name: str
    run: Callable[[Any], Any]
    order: int = 50


@dataclass(frozen=True)
class PortalEntry:
    """A service a tenant offers, as the portal lists it.

    `service` is the name a tenant's YAML lists under `services`; the portal shows the entry
    on the page of each tenant that lists it and for which `available(tenant)` holds.
    `url_name` is reversed with the tenant's slug (or `url(tenant)` gives the address, e.g. of
    the tenant's organization in CKAN). `region_url_name` (or `region_url()`), if set, is the
    region-wide page of the service, shown on the start page and in the header.
    `audience` orders the tenant page: citizens first, then developers, then staff.
    """

    service: str
    title: str
    description: str
    url_name: str = ""
    region_url_name: str = ""
    url: Callable[[Any], str] | None = None
    region_url: Callable[[], str] | None = None
    audience: str = "citizens"  # "citizens" | "developers" | "staff"
    order: int = 50
    available: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Service:
    """A service name tenants may list in their YAML (`services: [...]`)."""

    name: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class MapLayer:
    """A context layer drawn under every map, so that no map is ever blank.

    `url_name` is reversed (with `slug=` when `per_tenant`) to a GeoJSON source; `kind` is
    "area" (outlines) or "points"; the portal's map script draws them beneath the base map's
    labels, and the same features are in lists on the pages (no map-only information).
    """

    name: str
    title: str
    url_name: str
    kind: str = "points"
    per_tenant: bool = True
    url_kwargs: tuple[tuple[str, str], ...] = ()
    color: str = "#1f5fa8"
    order: int = 50


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str  # a short, translated label: "Mandant", "Datensatz", "Haltestelle", ...
    snippet: str = ""
    rank: float = 0.0


class SearchProvider(Protocol):
    """Finds the things of one app for the search box on every page."""

    name: str

    def search(self, query: str, *, request: Any, limit: int) -> list[SearchHit]:
        """Hits for `query` that the person behind `request` may see, best first."""


# -- the registry ---------------------------------------------------------------------------------


@dataclass
class Registry:
    urls: list[Urls] = field(default_factory=list)
    api_routers: list[ApiRouter] = field(default_factory=list)
    periodic: list[Periodic] = field(default_factory=list)
    seeds: list[Seed] = field(default_factory=list)
    role_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    portal_entries: list[PortalEntry] = field(default_factory=list)
    map_layers: list[MapLayer] = field(default_factory=list)
    search_providers: list[SearchProvider] = field(default_factory=list)
    public_datasets: list[Callable[[], Iterable[PublicDataset]]] = field(default_factory=list)
    ogc_layers: list[OgcLayer] = field(default_factory=list)
    # What /healthz reports beside its probes, without failing on it: name → () -> [notes].
    health_notes: dict[str, Callable[[], list[str]]] = field(default_factory=dict)

    # URLs and API

    def add_urls(self, entry: Urls) -> None:
        if entry.surface not in SURFACES:
            raise ValueError(f"unknown surface {entry.surface!r}; known: {', '.join(SURFACES)}")
        if any(u.namespace == entry.namespace for u in self.urls):
            raise ValueError(f"the URL namespace {entry.namespace!r} is registered twice")
        self.urls.append(entry)

    def add_api(self, prefix: str, router: Router, *, sample: str = "") -> None:
        if any(existing.router is router for existing in self.api_routers):
            raise ValueError(f"the API router for {prefix!r} is registered twice")
        self.api_routers.append(ApiRouter(prefix, router, sample))

    def surface_of(self, namespace: str | None) -> str:
        """The surface of a URL namespace (a page when the namespace is not registered)."""
        for entry in self.urls:
            if entry.namespace == namespace:
                return entry.surface
        return PAGE

    # background work and seeding

    def add_periodic(self, name: str, task: str, seconds: float) -> None:
        if any(p.name == name for p in self.periodic):
            raise ValueError(f"the periodic task {name!r} is registered twice")
        self.periodic.append(Periodic(name, task, seconds))

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {p.name: {"task": p.task, "schedule": p.seconds} for p in self.periodic}

    def add_health_note(self, name: str, notes: Callable[[], list[str]]) -> None:
        """`notes()` lists what an operator should know soon (a timetable about to end);
        /healthz shows it under `notes` and stays 200."""
        if name in self.health_notes:
            raise ValueError(f"the health note {name!r} is registered twice")
        self.health_notes[name] = notes

    def add_seed(self, name: str, run: Callable[[Any], Any], *, order: int = 50) -> None:
        if any(s.name == name for s in self.seeds):
            raise ValueError(f"the seed {name!r} is registered twice")
        self.seeds.append(Seed(name, run, order))

    def ordered_seeds(self) -> list[Seed]:
        return sorted(self.seeds, key=lambda s: (s.order, s.name))

    # roles and services

    def add_role_set(self, name: str, roles: Iterable[str]) -> None:
        """A named set of tenant roles that pages and endpoints require (e.g. "moderation")."""
        roles = frozenset(str(r) for r in roles)
        if self.role_sets.get(name, roles) != roles:
            raise ValueError(f"the role set {name!r} is registered twice, differently")
        self.role_sets[name] = roles

    def role_set(self, name: str) -> frozenset[str]:
        try:
            return self.role_sets[name]
        except KeyError:
            known = ", ".join(sorted(self.role_sets)) or "none"
            raise LookupError(f"unknown role set {name!r} (known: {known})") from None

    def add_service(self, service: Service) -> None:
        if service.name in self.services:
            raise ValueError(f"the service {service.name!r} is registered twice")
        self.services[service.name] = service

    # the portal

    def add_portal_entry(self, entry: PortalEntry) -> None:
        self.portal_entries.append(entry)

    def problems(self) -> list[str]:
        """What does not fit together once every app has registered (a system check)."""
        found = [
            f"portal entry {entry.title!r} names the service {entry.service!r}, which no app "
            "registers"
            for entry in self.portal_entries
            if entry.service not in self.services
        ]
        found += [
            f"portal entry {entry.title!r} has neither url_name nor url"
            for entry in self.portal_entries
            if not (entry.url_name or entry.url or entry.region_url_name or entry.region_url)
        ]
        return found

    def add_map_layer(self, layer: MapLayer) -> None:
        if any(existing.name == layer.name for existing in self.map_layers):
            raise ValueError(f"the map layer {layer.name!r} is registered twice")
        self.map_layers.append(layer)

    def add_search(self, provider: SearchProvider) -> None:
        if any(existing.name == provider.name for existing in self.search_providers):
            raise ValueError(f"the search provider {provider.name!r} is registered twice")
        self.search_providers.append(provider)

    # open data and maps

    def add_ogc_layer(self, layer: OgcLayer) -> None:
        if any(existing.name == layer.name for existing in self.ogc_layers):
            raise ValueError(f"the OGC layer {layer.name!r} is registered twice")
        self.ogc_layers.append(layer)

    def add_public_datasets(self, provider: Callable[[], Iterable[PublicDataset]]) -> None:
        """An app's function that lists its public data sets now (called at every publish)."""
        self.public_datasets.append(provider)

    def all_public_datasets(self) -> list[PublicDataset]:
        return [dataset for provider in self.public_datasets for dataset in provider()]

    def copy(self) -> Registry:
        """A copy whose lists can change without touching this one (tests restore from it)."""
        return Registry(
            **{
                name: (dict(value) if isinstance(value, dict) else list(value))
                for name, value in self.__dict__.items()
            }
        )

    def restore(self, saved: Registry) -> None:
        self.__dict__.update(saved.copy().__dict__)


registry = Registry()


# -- which apps there are -------------------------------------------------------------------------

HUB = Path(__file__).resolve().parent.parent
# The foundation, in the order Django loads it; every other folder of hub/ with an apps.py is an
# app of its own, found here, so that adding one needs no line in settings.py.
FOUNDATION = ("hub.core", "hub.accounts", "hub.tenancy", "hub.geo", "hub.catalog", "hub.portal")
# The tenant files and their reconcile (tenants/) sit above every app (ADR 0009).
ORCHESTRATION = ("tenants",)


def discover_apps(root: Path = HUB) -> list[str]:
    """The hub's Django apps: the foundation, then each app folder of hub/, then tenants."""
    found = sorted(
        f"hub.{folder.name}"
        for folder in root.iterdir()
        if (folder / "apps.py").is_file() and f"hub.{folder.name}" not in FOUNDATION
    )
    return [*FOUNDATION, *found, *ORCHESTRATION]


def command(name: str, *args: str) -> Callable[[Any], None]:
    """A seed step that runs a management command, its output under the step's name."""

    def run(out) -> None:
        from django.core.management import call_command

        call_command(name, *args, stdout=out)

    run.__name__ = f"command_{name}"
    return run
