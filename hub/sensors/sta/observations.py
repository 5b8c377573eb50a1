# SPDX-License-Identifier: EUPL-1.2
"""Pages of Observations, the one entity set read by the ten thousand: fetched as tuples with
psycopg's loaders (times straight as the text SensorThings shows) and rendered without a model
instance per row. The output is what the generic Reader.entity() renders (tests/sensors/
test_sta.py compares the two). Also the `$resultFormat=dataArray` of SensorThings v1.1 (§14.3,
Observations only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from psycopg.adapt import Loader
from psycopg.types.datetime import TimestamptzLoader
from psycopg.types.json import JsonbLoader

from hub.sensors.sta.entities import whole

# The order of a fetched row.
COLUMNS = ("id", "datastream_id", "phenomenon_time", "result_time", "result", "result_json")
# The components of a dataArray in FROST-Server's order (when $select does not name them).
COMPONENTS = ("id", "phenomenonTime", "result", "resultTime")


class TimeTextLoader(Loader):
    """timestamptz as SensorThings shows it: datetime.isoformat() in UTC with "Z".

    A session in UTC with DateStyle ISO (Django's) sends "2026-11-26 10:00:00.4+00": that text
    is rearranged, without a datetime (a third of the cost). Any other text (another time zone
    or date style) goes through a datetime.
    """

    def __init__(self, oid: int, context=None):
        super().__init__(oid, context)
        self._datetime = TimestamptzLoader(oid, context)

    def load(self, data) -> str:
        text = str(data, "ascii")
        if len(text) >= 22 and text[10] == " " and text[19] in ".+" and text[-3:] == "+00":
            clock = text[11:-3]
            if len(clock) > 8:  # PostgreSQL drops the fraction's trailing zeros; Python does not
                clock = clock.ljust(15, "0")
            return f"{text[:10]}T{clock}Z"
        return self._datetime.load(data).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def fetch(queryset) -> list[tuple]:
    """The rows of an Observation queryset (filtered, ordered, sliced) as tuples of COLUMNS,
    the times as text (TimeTextLoader), result_json decoded."""
    query = queryset.values_list(*COLUMNS).query
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        adapters = cursor.cursor.adapters
        adapters.register_loader("timestamptz", TimeTextLoader)
        adapters.register_loader("jsonb", JsonbLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def entities(rows: Iterable[tuple], base: str, select: list[str] | None) -> list[dict]:
    """The standard JSON of each row, as Reader.entity() renders an Observation."""
    prefix = f"{base}Observations("
    if select is None:
        return [
            {
                "@iot.id": pk,
                "@iot.selfLink": f"{prefix}{pk})",
                "phenomenonTime": phenomenon,
                "resultTime": result_time,
                "result": whole(result) if result is not None else result_json,
                "Datastream@iot.navigationLink": f"{prefix}{pk})/Datastream",
                "FeatureOfInterest@iot.navigationLink": f"{prefix}{pk})/FeatureOfInterest",
            }
            for pk, _stream, phenomenon, result_time, result, result_json in rows
        ]
    wanted = set(select)
    out = []
    for pk, _stream, phenomenon, result_time, result, result_json in rows:
        one: dict[str, Any] = {}
        if "id" in wanted:
            one["@iot.id"] = pk
        if "selfLink" in wanted:
            one["@iot.selfLink"] = f"{prefix}{pk})"
        if "phenomenonTime" in wanted:
            one["phenomenonTime"] = phenomenon
        if "resultTime" in wanted:
            one["resultTime"] = result_time
        if "result" in wanted:
            one["result"] = whole(result) if result is not None else result_json
        if "Datastream" in wanted:
            one["Datastream@iot.navigationLink"] = f"{prefix}{pk})/Datastream"
        if "FeatureOfInterest" in wanted:
            one["FeatureOfInterest@iot.navigationLink"] = f"{prefix}{pk})/FeatureOfInterest"
        out.append(one)
    return out


def data_array(rows: Iterable[tuple], base: str, select: list[str] | None) -> list[dict]:
    """The rows as dataArrays, one per Datastream in the order they first appear."""
    components = [c for c in COMPONENTS if select is None or c in select]
    full = len(components) == len(COMPONENTS)
    groups: dict[int, list[list]] = {}
    for pk, stream, phenomenon, result_time, result, result_json in rows:
        value = whole(result) if result is not None else result_json
        if full:
            item = [pk, phenomenon, value, result_time]
        else:
            every = {
                "id": pk,
                "phenomenonTime": phenomenon,
                "result": value,
                "resultTime": result_time,
            }
            item = [every[c] for c in components]
        group = groups.get(stream)
        if group is None:
            group = groups[stream] = []
        group.append(item)
    return [
        {
            "Datastream@iot.navigationLink": f"{base}Datastreams({stream})",
            "components": components,
            "dataArray@iot.count": len(items),
            "dataArray": items,
        }
        for stream, items in groups.items()
    ]
