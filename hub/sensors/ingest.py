# SPDX-License-Identifier: EUPL-1.2
"""From an uplink to observations: map, check, write in batches with COPY.

`Resolver` turns an `Uplink` (connectors.lorawan) into observation rows through the device's
mapping, or refuses the whole message with `PayloadInvalid` (nothing of it is written).
`write()` stores a batch in one transaction: COPY into a temporary table, one INSERT into the
partitioned observation table that skips what is already there (datastream, phenomenon time,
source id), and one upsert of the latest value per datastream. `dead_letter()` keeps a payload
that could not be mapped, with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

from connectors.base import PayloadInvalid
from connectors.lorawan import Uplink, decode, number
from hub.sensors.models import Datastream, Device
from hub.tenancy.context import system_context

MAX_PAYLOAD = 256 * 1024  # bytes of one message; a sensor sends far less
MAX_DEAD_LETTER = 1024 * 1024  # what is kept of a refused payload
FUTURE = dt.timedelta(days=1)
PAST = dt.timedelta(days=3650)  # a device's clock this far behind is wrong
# What a writer of the SensorThings API may store: older series (a municipality's gauge records
# from the 1990s) are data; earlier times are mistakes, and each month costs a partition.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CACHE_SECONDS = 60.0
UNKNOWN_SECONDS = 5.0  # an unknown device may be registered any moment: ask again soon


@dataclass(frozen=True)
class Row:
    tenant_id: int
    datastream_id: int
    phenomenon_time: dt.datetime
    result: float | None
    result_json: str | None
    source_id: str
    feature_id: int | None = None  # named by the writer; else generated (write())
    result_time: dt.datetime | None = None


@dataclass(frozen=True)
class Target:
    """A device as ingest needs it: its tenant, decoder and value → (datastream, numeric)."""

    tenant_id: int
    decoder: str
    streams: dict[str, tuple[int, bool]]


class Resolver:
    """Devices and their datastreams, cached for a minute (one query per miss, not per row).

    A change of a device or datastream in this process empties every cache at once (signals,
    hub.sensors.apps); other processes see it within CACHE_SECONDS.
    """

    every: ClassVar[weakref.WeakSet[Resolver]] = weakref.WeakSet()

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], tuple[float, Target | None]] = {}
        self._streams: dict[int, tuple[int, bool]] = {}
        Resolver.every.add(self)

    def forget(self) -> None:
        self._cache.clear()
        self._streams.clear()

    @classmethod
    def forget_all(cls, **_signal) -> None:
        for resolver in list(cls.every):
            resolver.forget()

    def device(self, network: str, key: str) -> Target | None:
        now = time.monotonic()
        hit = self._cache.get((network, key))
        if hit and now - hit[0] < (CACHE_SECONDS if hit[1] is not None else UNKNOWN_SECONDS):
            return hit[1]
        with system_context():
            found = Device.objects.filter(network=network, key=key).first()
            target = None
            if found is not None:
                ids = [v for v in found.mapping.values() if isinstance(v, int)]
                streams = {
                    d.pk: (d.tenant_id, d.numeric) for d in Datastream.objects.filter(pk__in=ids)
                }
                target = Target(
                    tenant_id=found.tenant_id,
                    decoder=found.decoder,
                    streams={
                        name: (ds, streams[ds][1])
                        for name, ds in found.mapping.items()
                        # A mapping may only name the device's own tenant's datastreams.
                        if ds in streams and streams[ds][0] == found.tenant_id
                    },
                )
        self._cache[(network, key)] = (now, target)
        return target

    def datastream(self, datastream_id: int) -> tuple[int, bool] | None:
        """(tenant id, numeric) of a datastream, for the SensorThings MQTT topic."""
        if datastream_id not in self._streams:
            with system_context():
                found = Datastream.objects.filter(pk=datastream_id).first()
            if found is None:
                return None
            self._streams[datastream_id] = (found.tenant_id, found.numeric)
        return self._streams[datastream_id]

    def rows(self, uplink: Uplink, *, tenant_id: int | None = None) -> list[Row]:
        """The observations of an uplink, or PayloadInvalid for the whole of it.

        With `tenant_id` (a tenant's webhook) a device of another tenant is unknown.
        """
        target = self.device(uplink.network, uplink.device)
        if target is None or (tenant_id is not None and target.tenant_id != tenant_id):
            raise PayloadInvalid(f"unknown device {uplink.network}:{uplink.device}")
        _check_time(uplink.time)
        values = decode(uplink, target.decoder)
        rows = []
        for name, value in values.items():
            stream = target.streams.get(name)
            if stream is None:
                continue  # a value nobody asked for
            datastream_id, numeric = stream
            rows.append(
                _row(target.tenant_id, datastream_id, numeric, uplink, name=name, value=value)
            )
        if not rows:
            raise PayloadInvalid(
                f"none of the values ({', '.join(sorted(values)) or 'none'}) is mapped to a "
                f"datastream of device {uplink.network}:{uplink.device}"
            )
        return rows


def _check_time(when: dt.datetime, earliest: dt.datetime | None = None) -> None:
    """A device's time: at most a day ahead and ten years back; a writer's (`earliest`
    given): at most a day ahead and not before `earliest`."""
    now = dt.datetime.now(dt.UTC)
    if when > now + FUTURE:
        raise PayloadInvalid(f"time {when.isoformat()} is more than a day in the future")
    if earliest is None and when < now - PAST:
        raise PayloadInvalid(f"time {when.isoformat()} is more than ten years ago")
    if earliest is not None and when < earliest:
        raise PayloadInvalid(f"time {when.isoformat()} is before {earliest.year}")


def _row(
    tenant_id: int, datastream_id: int, numeric: bool, uplink: Uplink, *, name: str, value: Any
) -> Row:
    if numeric:
        result, result_json = number(value, name), None
    else:
        result, result_json = None, json.dumps(value)
    return Row(
        tenant_id=tenant_id,
        datastream_id=datastream_id,
        phenomenon_time=uplink.time,
        result=result,
        result_json=result_json,
        source_id=f"{uplink.message_id}#{name}",
    )


def observation_row(
    datastream_id: int, tenant_id: int, numeric: bool, doc: Any, body: bytes, *, written=False
) -> Row:
    """A SensorThings Observation as POSTed or published on
    `v1.1/Datastreams(<id>)/Observations`: phenomenonTime and result (resultTime optional).

    A device's message (MQTT) keeps the device window of ten years; a writer of the API
    (`written`) may store older series, back to EARLIEST."""
    import hashlib

    from connectors.lorawan import parse_time

    if not isinstance(doc, dict):
        raise PayloadInvalid("an Observation is a JSON object")
    if "result" not in doc:
        raise PayloadInvalid("result is missing")
    earliest = EARLIEST if written else None
    when = parse_time(doc.get("phenomenonTime"), "phenomenonTime")
    _check_time(when, earliest)
    result_time = None
    if doc.get("resultTime") is not None:
        result_time = parse_time(doc["resultTime"], "resultTime")
        _check_time(result_time, earliest)
    value = doc["result"]
    result, result_json = (number(value, "result"), None) if numeric else (None, json.dumps(value))
    source = str(doc.get("@iot.id") or hashlib.sha256(body).hexdigest()[:32])
    return Row(tenant_id, datastream_id, when, result, result_json, source, None, result_time)


# -- writing ----------------------------------------------------------------------------------


def _ensure_partitions(cursor, rows: list[Row]) -> None:
    """The month partitions a batch needs (a cheap check each batch: a partition created in
    a transaction that was rolled back is gone again, so nothing is remembered)."""
    months = sorted({(r.phenomenon_time.year, r.phenomenon_time.month) for r in rows})
    for year, month in months:
        cursor.execute(
            "SELECT sensors_ensure_partitions(%s::timestamptz, 0, 0)",
            [dt.datetime(year, month, 1, tzinfo=dt.UTC)],
        )


def write(cursor, rows: list[Row]) -> int:
    """Store a batch (the caller commits); returns how many observations were new.

    An observation that names no FeatureOfInterest gets the one generated from its Thing's
    Location (the newest, if it has several), as FROST-Server does; `_generate_features` makes
    the missing ones first, once per location.
    """
    if not rows:
        return 0
    _ensure_partitions(cursor, rows)
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS ingest_rows (tenant_id bigint, datastream_id bigint,"
        " phenomenon_time timestamptz, result double precision, result_json jsonb,"
        " source_id text, feature_id bigint, result_time timestamptz) ON COMMIT DELETE ROWS"
    )
    with cursor.copy(
        "COPY ingest_rows (tenant_id, datastream_id, phenomenon_time, result, result_json,"
        " source_id, feature_id, result_time) FROM STDIN"
    ) as copy:
        for r in rows:
            copy.write_row(
                (
                    r.tenant_id,
                    r.datastream_id,
                    r.phenomenon_time,
                    r.result,
                    r.result_json,
                    r.source_id,
                    r.feature_id,
                    r.result_time,
                )
            )
    _generate_features(cursor)
    cursor.execute(
        "WITH streams AS (SELECT DISTINCT datastream_id FROM ingest_rows WHERE feature_id IS NULL),"
        " generated AS (SELECT DISTINCT ON (d.id) d.id AS datastream_id,"
        " l.generated_feature_id AS feature_id FROM streams s"
        " JOIN sensors_datastream d ON d.id = s.datastream_id"
        " JOIN sensors_thing_locations tl ON tl.thing_id = d.thing_id"
        " JOIN sensors_location l ON l.id = tl.location_id ORDER BY d.id, l.id DESC)"
        " INSERT INTO sensors_observation (tenant_id, datastream_id, phenomenon_time, result,"
        " result_json, source_id, feature_id, result_time)"
        " SELECT DISTINCT ON (b.datastream_id, b.phenomenon_time, b.source_id) b.tenant_id,"
        " b.datastream_id, b.phenomenon_time, b.result, b.result_json, b.source_id,"
        " COALESCE(b.feature_id, g.feature_id), b.result_time FROM ingest_rows b"
        " LEFT JOIN generated g ON g.datastream_id = b.datastream_id"
        " ON CONFLICT (datastream_id, phenomenon_time, source_id) DO NOTHING"
    )
    inserted = cursor.rowcount
    # The newest value of each datastream in the batch, if newer than the one kept.
    cursor.execute(
        "INSERT INTO sensors_latest AS l (datastream_id, tenant_id, phenomenon_time, result,"
        " result_json)"
        " SELECT DISTINCT ON (datastream_id) datastream_id, tenant_id, phenomenon_time, result,"
        " result_json FROM ingest_rows ORDER BY datastream_id, phenomenon_time DESC"
        " ON CONFLICT (datastream_id) DO UPDATE SET phenomenon_time = EXCLUDED.phenomenon_time,"
        " result = EXCLUDED.result, result_json = EXCLUDED.result_json, updated_at = now()"
        " WHERE l.phenomenon_time <= EXCLUDED.phenomenon_time"
    )
    return inserted


def refresh_latest(cursor, datastream_ids: list[int]) -> None:
    """The latest value of these datastreams again from their observations, after one of
    them was changed or deleted through the API (write() only ever moves it forward)."""
    cursor.execute("DELETE FROM sensors_latest WHERE datastream_id = ANY(%s)", [datastream_ids])
    cursor.execute(
        "INSERT INTO sensors_latest (datastream_id, tenant_id, phenomenon_time, result,"
        " result_json) SELECT DISTINCT ON (datastream_id) datastream_id, tenant_id,"
        " phenomenon_time, result, result_json FROM sensors_observation"
        " WHERE datastream_id = ANY(%s) ORDER BY datastream_id, phenomenon_time DESC",
        [datastream_ids],
    )


def _generate_features(cursor) -> None:
    """A FeatureOfInterest for each Location of the batch's Things that has none yet (its name,
    description and geometry). The locations are locked, so that two writers make one."""
    cursor.execute(
        "SELECT l.id FROM sensors_location l WHERE l.generated_feature_id IS NULL AND l.id IN"
        " (SELECT tl.location_id FROM sensors_thing_locations tl"
        " JOIN sensors_datastream d ON d.thing_id = tl.thing_id"
        " WHERE d.id IN (SELECT datastream_id FROM ingest_rows WHERE feature_id IS NULL))"
        " ORDER BY l.id FOR UPDATE OF l"
    )
    missing = [row[0] for row in cursor.fetchall()]
    if not missing:
        return
    cursor.execute(
        "WITH made AS (INSERT INTO sensors_featureofinterest (tenant_id, name, description,"
        " encoding_type, feature, properties)"
        " SELECT tenant_id, name, description, encoding_type, location,"
        " jsonb_build_object('generatedFrom', 'Locations(' || id || ')')"
        " FROM sensors_location WHERE id = ANY(%s) RETURNING id, properties)"
        " UPDATE sensors_location l SET generated_feature_id = made.id FROM made"
        " WHERE made.properties->>'generatedFrom' = 'Locations(' || l.id || ')'",
        [missing],
    )


def dead_letter(
    cursor, *, channel: str, topic: str, reason: str, payload: bytes, tenant_id: int | None = None
) -> None:
    cursor.execute(
        "INSERT INTO sensors_deadletter (channel, topic, tenant_id, reason, size, payload)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        [channel, topic[:500], tenant_id, reason[:2000], len(payload), payload[:MAX_DEAD_LETTER]],
    )
