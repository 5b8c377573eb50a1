# SPDX-License-Identifier: EUPL-1.2
"""What the apps offer, registered by each app's AppConfig.ready(); the core only iterates it.

Later contexts (participation, sensors, ...) add their API routers, public datasets and OGC
layers here, and the catalogue and geo bridges walk these lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ninja import Router


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
    geometry: str  # "POINT" | "POLYGON"
    fields: tuple[str, ...]
    abstract: str = ""
    class_item: str = ""
    classes: tuple[tuple[str, str, str], ...] = ()  # (value, label, "#rrggbb")
    color: str = "#1f5fa8"


@dataclass
class Registry:
    api_routers: list[tuple[str, Router]] = field(default_factory=list)
    api_errors: list[tuple[type[Exception], Callable]] = field(default_factory=list)
    public_datasets: list[Callable[[], Iterable[PublicDataset]]] = field(default_factory=list)
    ogc_layers: list[OgcLayer] = field(default_factory=list)

    def add_ogc_layer(self, layer: OgcLayer) -> None:
        if any(existing.name == layer.name for existing in self.ogc_layers):
            raise ValueError(f"the OGC layer {layer.name!r} is registered twice")
        self.ogc_layers.append(layer)

    def add_public_datasets(self, provider: Callable[[], Iterable[PublicDataset]]) -> None:
        """An app's function that lists its public data sets now (called at every publish)."""
        self.public_datasets.append(provider)

    def all_public_datasets(self) -> list[PublicDataset]:
        return [dataset for provider in self.public_datasets for dataset in provider()]

    def add_api(self, prefix: str, router: Router) -> None:
        if any(existing is router for _, existing in self.api_routers):
            raise ValueError(f"the API router for {prefix!r} is registered twice")
        self.api_routers.append((prefix, router))

    def add_api_error(self, error: type[Exception], handler: Callable) -> None:
        """Map an app's exception to an HTTP answer, once for the whole API."""
        self.api_errors.append((error, handler))


registry = Registry()
