# SPDX-License-Identifier: EUPL-1.2
"""Geometry helpers shared by reconcile and boundary import."""

from __future__ import annotations

from django.contrib.gis.geos import MultiPolygon


def union(geoms: list[MultiPolygon]) -> MultiPolygon | None:
    """The union of areas as one MultiPolygon in EPSG:4326 (None for no areas)."""
    if not geoms:
        return None
    merged = geoms[0]
    for geom in geoms[1:]:
        merged = merged.union(geom)
    if merged.geom_type == "Polygon":
        merged = MultiPolygon(merged, srid=4326)
    merged.srid = 4326
    return merged


def same(a: MultiPolygon | None, b: MultiPolygon | None) -> bool:
    """Equal areas, vertex for vertex (what a round trip through PostGIS preserves)."""
    if a is None or b is None:
        return a is b
    return a.equals_exact(b, 1e-9)
