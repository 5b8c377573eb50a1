# SPDX-License-Identifier: EUPL-1.2
"""The hub's open data downloads: CSV and GeoJSON responses built the same way everywhere."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, JsonResponse


def point_feature(
    feature_id: Any, lon: float, lat: float, properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def geojson_response(features: list[dict[str, Any]], **members: Any) -> JsonResponse:
    """A FeatureCollection (EPSG:4326); `members` go beside the features (name, attribution)."""
    return JsonResponse(
        {"type": "FeatureCollection", **members, "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
