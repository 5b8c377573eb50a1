# SPDX-License-Identifier: EUPL-1.2
"""Import official, finer boundaries (BKG VG250 and the like) over the coarse VG5000 ones.

Reads a shapefile, a GeoJSON file, a GeoPackage or the BKG's zip (every layer in it) through GDAL,
matches features to tenants by their official key (AGS of municipalities and districts, ARS of
Verbandsgemeinden), reprojects to EPSG:4326 and replaces the boundary in one transaction.
A finer boundary is never replaced by a coarser one unless forced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.db import transaction

from hub.tenancy.context import system_context
from hub.tenancy.geometry import same, union
from hub.tenancy.models import Kind, Tenant, TenantEvent

# VG250 "Geofaktor": 4 = land with structure (the municipal area proper); water areas (1, 2)
# and areas without structure (3) are left out when a file distinguishes them.
LAND_GEOFACTORS = {4, 9}


class BoundaryFileInvalid(ValueError):
    """The file cannot be imported; the message says why and what to do."""


@dataclass
class ImportReport:
    features: int = 0
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_finer: list[str] = field(default_factory=list)
    unmatched_features: int = 0
    skipped_features: list[str] = field(default_factory=list)
    tenants_not_in_file: list[str] = field(default_factory=list)


def _open(path: Path) -> DataSource:
    if not path.exists():
        raise BoundaryFileInvalid(f"{path}: no such file")
    target = f"/vsizip/{path.resolve()}" if path.suffix.lower() == ".zip" else str(path)
    try:
        return DataSource(target)
    except GDALException as exc:
        raise BoundaryFileInvalid(
            f"{path}: not a geodata file GDAL can read (shapefile with .shp/.dbf/.prj, GeoJSON, "
            f"GeoPackage or the BKG's zip): {exc}"
        ) from exc


def _field(layer, *names: str) -> str | None:
    by_upper = {name.upper(): name for name in layer.fields}
    return next((by_upper[n] for n in names if n in by_upper), None)


def _key_index() -> dict[str, Tenant]:
    index = {}
    for tenant in Tenant.objects.filter(is_active=True):
        if tenant.kind in (Kind.MUNICIPALITY, Kind.DISTRICT) and tenant.ags:
            index[tenant.ags] = tenant
        elif tenant.kind == Kind.ASSOCIATION and tenant.ars:
            index[tenant.ars] = tenant
    return index


def _to_multipolygon(geom: OGRGeometry, label: str) -> MultiPolygon:
    if geom.srs is None:
        raise BoundaryFileInvalid(
            f"{label}: the file names no coordinate reference system (is the .prj missing?)"
        )
    geom.transform(4326)
    try:
        result = GEOSGeometry(geom.wkb, srid=4326)
    except (GEOSException, ValueError) as exc:
        raise BoundaryFileInvalid(f"{label}: unreadable geometry: {exc}") from exc
    if not result.valid:
        result = result.make_valid()
    if result.geom_type == "GeometryCollection":
        polygons = [g for g in result if g.geom_type in ("Polygon", "MultiPolygon")]
        result = (
            polygons[0]
            if len(polygons) == 1
            else MultiPolygon(
                [p for g in polygons for p in (g if g.geom_type == "MultiPolygon" else [g])]
            )
        )
    if result.geom_type == "Polygon":
        result = MultiPolygon(result)
    if result.geom_type != "MultiPolygon" or result.empty:
        raise BoundaryFileInvalid(f"{label}: expected an area (polygon), got {geom.geom_type}")
    result.srid = 4326
    return result


def _collect(
    source: DataSource,
    index: dict[str, Tenant],
    report: ImportReport,
    progress: Callable[[Iterable], Iterable],
) -> dict[str, list[MultiPolygon]]:
    found: dict[str, list[tuple[int | None, MultiPolygon]]] = defaultdict(list)
    usable_layers = 0
    for layer in source:
        ags_field, ars_field = _field(layer, "AGS"), _field(layer, "ARS")
        if ags_field is None and ars_field is None:
            continue
        usable_layers += 1
        gf_field = _field(layer, "GF")
        for feature in progress(layer):
            report.features += 1
            keys = [str(feature.get(f) or "").strip() for f in (ags_field, ars_field) if f]
            tenant = next((index[k] for k in keys if k in index), None)
            if tenant is None:
                report.unmatched_features += 1
                continue
            label = f"{layer.name} feature {feature.fid} ({' / '.join(k for k in keys if k)})"
            try:
                geom = _to_multipolygon(feature.geom, label)
            except BoundaryFileInvalid as exc:
                report.skipped_features.append(str(exc))
                continue
            raw_gf = str(feature.get(gf_field)) if gf_field else ""
            geofactor = int(raw_gf) if raw_gf.isdigit() else None  # null or odd: not classified
            found[tenant.slug].append((geofactor, geom))
    if usable_layers == 0:
        fields = sorted({f for layer in source for f in layer.fields})
        raise BoundaryFileInvalid(
            "no layer of the file has an AGS or ARS field to match tenants by "
            f"(fields found: {', '.join(fields) or 'none'})"
        )
    merged: dict[str, list[MultiPolygon]] = {}
    for slug, parts in found.items():
        land = [g for gf, g in parts if gf in LAND_GEOFACTORS]
        merged[slug] = land or [g for _, g in parts]
    return merged


def import_boundaries(
    path: Path,
    *,
    scale: int,
    source_label: str,
    actor: str,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> ImportReport:
    """Replace tenants' boundaries by those in the file; all or nothing."""
    source = _open(path)
    report = ImportReport()
    with system_context(), transaction.atomic():
        index = _key_index()
        merged = _collect(source, index, report, progress)
        for tenant in sorted(index.values(), key=lambda t: t.slug):
            if tenant.slug not in merged:
                report.tenants_not_in_file.append(tenant.slug)
                continue
            geom = union(merged[tenant.slug])
            if tenant.boundary_scale and tenant.boundary_scale < scale and not force:
                report.kept_finer.append(tenant.slug)
                continue
            if same(tenant.boundary, geom):
                report.unchanged.append(tenant.slug)
                continue
            before = tenant.boundary.num_coords if tenant.boundary else 0
            tenant.boundary, tenant.boundary_scale = geom, scale
            tenant.boundary_source = source_label
            tenant.save(
                update_fields=["boundary", "boundary_scale", "boundary_source", "updated_at"]
            )
            TenantEvent.objects.create(
                tenant=tenant,
                actor=actor,
                action="boundary.import",
                details={
                    "file": path.name,
                    "source": source_label,
                    "scale": scale,
                    "vertices": [before, geom.num_coords],
                },
            )
            report.updated.append(tenant.slug)
        if dry_run:
            transaction.set_rollback(True)
    return report
