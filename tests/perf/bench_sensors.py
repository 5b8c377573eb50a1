# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of sensor ingest (make bench), against the running stack: MQTT → the stack's own
consumer (`hub ingest`) → PostgreSQL, and the reads of the latest values and of a datastream's
points. Figures and ratios to the targets, never pass/fail.

- end to end: devices of ours publish one observation per message, QoS 1, on
  `hub/<tenant>/devices/<device>/up` from several publisher processes (as the hub's own MQTT
  user: a tenant's device user would need its password changed); the rate is the count of rows
  arriving in sensors_observation, sustained over a minute after a warm-up, and the time the
  broker's backlog then takes to drain. The publishers stay a bounded number of messages ahead
  of the database, so the consumer never waits for messages and the drain measures it alone;
  the publishers' own best rate is printed too;
- the same kind of rows written straight into the table with COPY, and through ingest.write()
  (temporary table, INSERT … ON CONFLICT, latest-value upsert) without MQTT: the baselines the
  end-to-end rate is compared with;
- the latest values of 1,000 datastreams (sensors_latest) and one datastream's 10,000 points,
  as SQL through Django's connection as the hub role in a tenant context (row-level security
  applies), and over HTTP: the tenant's aktuell.json, the datastream's CSV export and the
  SensorThings API (the Observations of a Datastream in one request of $top=10,000, the
  largest page; also as dataArray and in pages of 1,000).

Everything the bench creates lives in the tenant haldensleben and is named "[Benchmark] …"
(devices `benchmark-<run>-<n>`); it is removed at the end, also when the bench fails or is
terminated, and what a `kill -9` leaves behind is removed by the next run first.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
import re
import signal
import statistics
import sys
import time
import uuid
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from connectors.mqtt import MqttError, Session  # noqa: E402
from hub.core import mqtt as hub_mqtt  # noqa: E402
from hub.sensors import ingest  # noqa: E402
from hub.sensors.models import (  # noqa: E402
    Datastream,
    Device,
    Network,
    ObservedProperty,
    Sensor,
    Thing,
)
from hub.tenancy.context import system_context, tenant_context  # noqa: E402
from hub.tenancy.models import Tenant  # noqa: E402

HOME = "haldensleben"
PREFIX = "[Benchmark] "  # every bench Thing, Sensor and ObservedProperty is named so
KEY = "benchmark-"  # device keys: KEY + run + number, new each run (see create())
VALUE = "temperature"  # the value name in the messages, mapped to each device's datastream
DEVICES = 1000  # one datastream each: messages spread over 1,000 datastreams
PUBLISHERS = 4  # publisher processes, one MQTT connection each
PUBLISHER_INFLIGHT = 1000  # unacknowledged QoS 1 messages per publisher connection
AHEAD = 100_000  # messages the publishers may be ahead of the database (20 batches of 5,000)
MIN_WARM_UP, MAX_WARM_UP = 5, 20  # seconds of publishing before the window
WINDOW = 60.0  # seconds measured
DRAIN_LIMIT = 120.0  # seconds to wait for the backlog after the window
QUIET = 3.0  # seconds without new bench rows that mean the consumer has nothing more of ours
RAW_ROWS = 300_000  # rows for each baseline (COPY, ingest.write)
BATCH = 5000  # the consumer's default batch size (hub ingest --batch-size)
HISTORY = 10_000  # points of the archive datastream, one a minute
LATEST_ROUNDS, RANGE_ROUNDS, READ_WARM_UP = 300, 200, 20
HUB = f"http://127.0.0.1:{os.environ.get('HUB_WEB_PORT', '8000')}"
HTTP_ROUNDS, STA_ROUNDS = 50, 30  # requests of aktuell.json and the CSV; reads through STA
# $top of the SensorThings reads: the API's largest page (FROST-Server's default maxTop too),
# so one request reads the archive's 10,000 points; pages of 1,000 are measured besides.
STA_PAGE = 10_000
MINUTE = dt.timedelta(minutes=1)
SEED = 20261127
TOPIC = f"hub/{HOME}/devices/{{key}}/up"
RUN_DIR = Path(settings.STATE_DIR) / "run"
INGEST_LOG = Path(settings.STATE_DIR) / "log" / "ingest.log"
REPORT = re.compile(r"ingest: (\d+) messages, (\d+) observations .* (\d+) batches, (\d+) database")
TICK = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# -- the publishers (forked before the bench touches the database) ----------------------------


def publisher(index: int, keys: list[str], start: float, go, stop, limit, acked, state) -> None:
    """Publish the messages of `keys` round-robin, QoS 1, as long as `limit` allows.

    Message n of a device is measured at `start` + n seconds, so each body (and the source id
    ingest derives from it) is unique. `acked` counts the messages the broker acknowledged;
    `state` becomes 1 once the broker accepted the connection, else -1000 (unreachable) or
    -1 (refused). Sent with connectors.mqtt's bulk publish: a QoS 1 PUBLISH each, 200 to a
    write, at most PUBLISHER_INFLIGHT unacknowledged. The devices of a real network cost this
    machine nothing; paho's publish cost about 120 µs of CPU per message, which left the
    consumer less than a core on this 2-core machine.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    user, password = settings.HUB_MQTT_AUTH
    host, port = settings.HUB_MQTT
    client = Session(
        host,
        port,
        client_id=f"bench-sensors-{os.getpid()}-{index}",
        topics=(),
        username=user,
        password=password,
        clean_session=True,
    )
    try:
        client.connect()
    except MqttError:
        state.value = -1
        return
    except OSError:
        state.value = -1000
        return
    state.value = 1
    topics = [TOPIC.format(key=key) for key in keys]
    rng = random.Random(f"{SEED}:{index}")
    sent = 0
    parent = os.getppid()

    def message(n: int) -> tuple[str, bytes]:
        device, step = n % len(keys), n // len(keys)
        when = dt.datetime.fromtimestamp(start + step, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        value = round(rng.uniform(-5, 30), 1)
        return topics[device], f'{{"time": "{when}", "{VALUE}": {value}}}'.encode()

    while not go.is_set():
        client.receive(0.5)  # answers the broker's pings meanwhile
        if os.getppid() != parent:  # the bench was killed (-9): stop too
            return
    while not stop.is_set() and os.getppid() == parent and client.connected:
        client.receive(0)  # the broker's acknowledgements
        acked.value = client.acknowledged
        allowed = min(limit.value - sent, PUBLISHER_INFLIGHT - (sent - client.acknowledged), 200)
        if allowed <= 0:
            client.receive(0.002)
            continue
        sent += client.publish(message(n) for n in range(sent, sent + allowed))
    deadline = time.monotonic() + 30
    while client.acknowledged < sent and client.connected and time.monotonic() < deadline:
        client.receive(0.05)
    acked.value = client.acknowledged
    client.close()


class Publishers:
    """PUBLISHERS processes, forked while the bench holds no connection and runs no thread."""

    def __init__(self) -> None:
        context = mp.get_context("fork")
        self.go, self.stop = context.Event(), context.Event()
        self.limits = [context.RawValue("q", 0) for _ in range(PUBLISHERS)]
        self.acked = [context.RawValue("q", 0) for _ in range(PUBLISHERS)]
        self.states = [context.RawValue("q", 0) for _ in range(PUBLISHERS)]
        self.run = uuid.uuid4().hex[:8]
        self.keys = [f"{KEY}{self.run}-{n:04d}" for n in range(DEVICES)]
        self.start_time = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).timestamp() // 1
        self.processes = [
            context.Process(
                target=publisher,
                args=(
                    i,
                    self.keys[i::PUBLISHERS],
                    self.start_time,
                    self.go,
                    self.stop,
                    self.limits[i],
                    self.acked[i],
                    self.states[i],
                ),
                daemon=True,
            )
            for i in range(PUBLISHERS)
        ]
        for process in self.processes:
            process.start()

    def connected(self, timeout: float = 15) -> str:
        """ "" once every publisher is connected, else why not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [value.value for value in self.states]
            if all(state == 1 for state in states):
                return ""
            if any(state < 0 for state in states):
                if min(states) == -1000:
                    return f"the broker at {':'.join(map(str, settings.HUB_MQTT))} is not reachable"
                return (
                    "the broker refused the hub's MQTT user: HUB_MQTT_USER and "
                    "HUB_MQTT_PASSWORD of the hub's configuration"
                )
            time.sleep(0.05)
        return f"the publishers did not connect within {timeout:.0f} s"

    def allow(self, total: int) -> None:
        for value in self.limits:
            value.value = -(-total // PUBLISHERS)

    def published(self) -> int:
        return sum(value.value for value in self.acked)

    def finish(self, timeout: float = 40) -> None:
        self.stop.set()
        self.go.set()  # a publisher still waiting for the start ends at once
        deadline = time.monotonic() + timeout
        for process in self.processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(5)

    def cpu_ticks(self) -> int:
        return sum(cpu_ticks(p.pid) for p in self.processes if p.pid)


# -- what the machine spends ------------------------------------------------------------------


def cpu_ticks(pid: int | None) -> int:
    """User + system clock ticks of a process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def pid_of(name: str) -> int | None:
    try:
        return int(Path(RUN_DIR / f"{name}.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def cpu_snapshot(publishers: Publishers) -> dict[str, int]:
    own = os.times()
    return {
        "consumer (hub ingest)": cpu_ticks(pid_of("ingest")),
        "Mosquitto": cpu_ticks(pid_of("mosquitto")),
        "PostgreSQL (all processes)": sum(cpu_ticks(pid) for pid in postgres_pids()),
        f"publishers ({PUBLISHERS} processes)": publishers.cpu_ticks(),
        "bench (polling)": round((own.user + own.system) * TICK),
    }


def broker_store() -> str:
    """What the broker keeps: the messages in its store and the heap they take.

    A disconnected persistent session subscribed to the ingest topics (a test's consumer that
    never ended its session) keeps a reference to every message the bench publishes.
    """
    wanted = {
        "$SYS/broker/store/messages/count": "messages stored",
        "$SYS/broker/heap/current": "heap",
        "$SYS/broker/clients/total": "client sessions",
        "$SYS/broker/clients/connected": "connected",
    }
    found: dict[str, str] = {}
    client = hub_mqtt.client("")
    client.on_connect = lambda c, *_: c.subscribe("$SYS/broker/#", 0)
    client.on_message = lambda _c, _u, m: found.__setitem__(m.topic, m.payload.decode())
    client.connect(*settings.HUB_MQTT)
    client.loop_start()
    deadline = time.monotonic() + 12  # retained, so at once; else within $SYS's 10 s interval
    while not wanted.keys() <= found.keys() and time.monotonic() < deadline:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    value = {name: found.get(topic, "?") for topic, name in wanted.items()}
    heap = value["heap"]
    heap = f"{int(heap) / 2**20:,.0f} MB" if heap.isdigit() else heap
    return (
        f"{value['messages stored']} messages stored, heap {heap}; {value['client sessions']} "
        f"client sessions, {value['connected']} of them connected (as of its last $SYS report)"
    )


def consumer_reports(offset: int) -> list[tuple[int, int]]:
    """(messages, batches) of the consumer's periodic reports written since `offset`."""
    try:
        with INGEST_LOG.open("rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return []
    return [(int(m[1]), int(m[3])) for m in REPORT.finditer(text)]


# -- setup and cleanup ------------------------------------------------------------------------


def bench_streams(home: Tenant) -> list[int]:
    with system_context():
        return list(
            Datastream.objects.filter(tenant=home, thing__name__startswith=PREFIX).values_list(
                "pk", flat=True
            )
        )


def bench_rows(streams: list[int]) -> int:
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sensors_observation WHERE datastream_id = ANY(%s)", [streams]
        )
        return cursor.fetchone()[0]


def wait_quiet(streams: list[int], limit: float = DRAIN_LIMIT) -> bool:
    """Wait until no new rows of `streams` have arrived for QUIET seconds (the consumer has
    nothing of ours left): deleting a datastream whose device the consumer still holds in its
    cache would make the consumer's batch fail (see the report of this bench)."""
    deadline = time.monotonic() + limit
    seen, since = bench_rows(streams), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = bench_rows(streams)
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= QUIET:
            return True
    return False


def cleanup(home: Tenant) -> dict[str, int]:
    """Remove every bench object and what ingest wrote for it; returns what was removed."""
    streams = bench_streams(home)
    removed: dict[str, int] = {}
    with system_context():
        devices = Device.objects.filter(tenant=home, thing__name__startswith=PREFIX)
        removed["devices"] = devices.count()
        devices.delete()  # first: messages still on their way become dead letters, not rows
    if streams and not wait_quiet(streams):
        print(f"  rows of the bench datastreams still arrived after {DRAIN_LIMIT:.0f} s")
    with system_context(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sensors_observation WHERE datastream_id = ANY(%s)", [streams])
        removed["observations"] = cursor.rowcount
        cursor.execute("DELETE FROM sensors_latest WHERE datastream_id = ANY(%s)", [streams])
        removed["latest values"] = cursor.rowcount
        cursor.execute(
            "DELETE FROM sensors_deadletter WHERE topic LIKE %s",
            [f"hub/{HOME}/devices/{KEY}%"],
        )
        removed["dead letters"] = cursor.rowcount
    with system_context():
        removed["datastreams"] = Datastream.objects.filter(pk__in=streams).delete()[0]
        removed["things"] = Thing.objects.filter(tenant=home, name__startswith=PREFIX).delete()[0]
        Sensor.objects.filter(tenant=home, name__startswith=PREFIX).delete()
        ObservedProperty.objects.filter(tenant=home, name__startswith=PREFIX).delete()
    if removed["observations"]:
        # A million dead rows would otherwise wait for autovacuum, and the next run (and the
        # hub) would write into a bloated partition and be planned with stale statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) sensors_observation, sensors_latest")
    return removed


def create(home: Tenant, keys: list[str]) -> tuple[list[int], int]:
    """DEVICES things with one datastream and one MQTT device each, and the archive datastream.

    Returns (the devices' datastream ids in the order of `keys`, the archive datastream id).
    The keys are new each run: a key the consumer saw unknown within its cache time (a killed
    run's late message) would stay unknown for that time.
    """
    unit = {"name": "degree Celsius", "symbol": "°C", "definition": "ucum:Cel"}
    with system_context(), transaction.atomic():
        sensor = Sensor.objects.create(tenant=home, name=f"{PREFIX}Temperaturfühler")
        prop = ObservedProperty.objects.create(
            tenant=home,
            name=f"{PREFIX}Lufttemperatur",
            definition="https://example.org/def/benchmark-temperature",
        )
        things = Thing.objects.bulk_create(
            Thing(tenant=home, name=f"{PREFIX}Messstelle {n:04d}") for n in range(DEVICES + 1)
        )
        streams = Datastream.objects.bulk_create(
            Datastream(
                tenant=home,
                thing=thing,
                sensor=sensor,
                observed_property=prop,
                name=f"{thing.name}: Lufttemperatur",
                unit_of_measurement=unit,
            )
            for thing in things
        )
        Device.objects.bulk_create(
            Device(
                tenant=home,
                network=Network.MQTT,
                key=key,
                thing=thing,
                mapping={VALUE: stream.pk},
            )
            for key, thing, stream in zip(keys, things, streams, strict=False)
        )
        things[-1].name = f"{PREFIX}Archiv"
        things[-1].save(update_fields=["name"])
    return [s.pk for s in streams[:DEVICES]], streams[-1].pk


def fill_history(home: Tenant, stream: int) -> tuple[dt.datetime, dt.datetime, float]:
    """HISTORY points, one a minute up to an hour ago, with COPY (through a temporary table:
    PostgreSQL refuses COPY FROM into a table with row-level security). Returns the range."""
    end = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    first = end - dt.timedelta(minutes=HISTORY)
    rng = random.Random(SEED)
    started = time.perf_counter()
    with system_context(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT sensors_ensure_partitions(%s::timestamptz, 0, 0),"
            " sensors_ensure_partitions(%s::timestamptz, 0, 0)",
            [first, end],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_history ON COMMIT DROP AS SELECT tenant_id, datastream_id,"
            " phenomenon_time, result, source_id FROM sensors_observation WITH NO DATA"
        )
        with cursor.cursor.copy(
            "COPY bench_history (tenant_id, datastream_id, phenomenon_time, result, source_id)"
            " FROM STDIN"
        ) as copy:
            for n in range(HISTORY):
                when = first + dt.timedelta(minutes=n)
                copy.write_row((home.pk, stream, when, round(rng.uniform(-5, 30), 1), f"h{n}"))
        cursor.execute(
            "INSERT INTO sensors_observation (tenant_id, datastream_id, phenomenon_time, result,"
            " source_id) SELECT * FROM bench_history"
        )
    return first, end, time.perf_counter() - started


# -- 2: the baselines -------------------------------------------------------------------------


def raw_rows(home: Tenant, streams: list[int], mark: str) -> list[ingest.Row]:
    """RAW_ROWS rows like the consumer's: this month, spread over the datastreams."""
    now = dt.datetime.now(dt.UTC)
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    span = max((now - max(month, now - dt.timedelta(hours=2))).total_seconds(), 1.0)
    rng = random.Random(f"{SEED}:{mark}")
    return [
        ingest.Row(
            tenant_id=home.pk,
            datastream_id=streams[n % len(streams)],
            phenomenon_time=now - dt.timedelta(seconds=span * (n + 1) / (RAW_ROWS + 1)),
            result=round(rng.uniform(-5, 30), 1),
            result_json=None,
            # As ingest makes them: a hash of the message and the value's name.
            source_id=f"{uuid.UUID(int=rng.getrandbits(128)).hex}#{VALUE}{mark}",
        )
        for n in range(RAW_ROWS)
    ]


def bench_copy(rows: list[ingest.Row]) -> float:
    """One COPY of `rows` straight into the month's partition, committed; seconds."""
    month = rows[0].phenomenon_time
    with system_context(), connection.cursor() as cursor:
        cursor.execute("SELECT sensors_ensure_partitions(%s::timestamptz, 0, 0)", [month])
    # PostgreSQL refuses COPY FROM into a table under row-level security, and the partitions
    # have the table's (migration sensors.0006). Their owner, the hub's role, is bound by them
    # only because they are FORCEd: the bench lifts FORCE on this month's partition inside its
    # transaction (so no other session ever sees it lifted, and a rollback or a killed bench
    # restores it) and sets it again before the commit. ALTER TABLE locks the partition until
    # then: ingest and reads of this month wait for the COPY. A partition takes COPY without the
    # parent's identity default (PostgreSQL 15): the ids come from the parent's sequence.
    partition = f"sensors_observation_{month:%Y_%m}"
    with system_context(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {partition} NO FORCE ROW LEVEL SECURITY")
        # The ids the parent's default would draw, drawn beforehand: fetching 300,000 numbers
        # into Python is not what a COPY costs.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('sensors_observation', 'id'))"
            " FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [i for (i,) in cursor.fetchall()]
        started = time.perf_counter()
        with cursor.cursor.copy(
            f"COPY {partition} (id, tenant_id, datastream_id, phenomenon_time, result,"
            f" result_json, source_id) FROM STDIN"
        ) as copy:
            for i, r in zip(
                ids,
                tqdm(rows, desc="COPY", unit="rows", unit_scale=True, mininterval=1),
                strict=True,
            ):
                copy.write_row(
                    (
                        i,
                        r.tenant_id,
                        r.datastream_id,
                        r.phenomenon_time,
                        r.result,
                        None,
                        r.source_id,
                    )
                )
        cursor.execute(f"ALTER TABLE {partition} FORCE ROW LEVEL SECURITY")
    return time.perf_counter() - started


def bench_write(rows: list[ingest.Row]) -> float:
    """`rows` through ingest.write() in batches of BATCH, one transaction each, as the consumer
    stores them; seconds."""
    started = time.perf_counter()
    for first in tqdm(range(0, len(rows), BATCH), desc="ingest.write", unit="batches"):
        with system_context(), transaction.atomic(), connection.cursor() as cursor:
            ingest.write(cursor.cursor, rows[first : first + BATCH])
    return time.perf_counter() - started


# -- 1: end to end ----------------------------------------------------------------------------


class Counter:
    """Rows of the bench datastreams that arrived since it was made, counted by id: the
    single consumer commits its batches one after another, so a row that becomes visible
    never has a smaller id than one seen before."""

    def __init__(self, streams: list[int]) -> None:
        self.streams, self.total = streams, 0
        with system_context(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM sensors_observation")
            self.mark = cursor.fetchone()[0]

    def poll(self) -> int:
        with system_context(), connection.cursor() as cursor:
            # MATERIALIZED: scan by id (cheap, only the new rows), not by datastream.
            cursor.execute(
                "WITH fresh AS MATERIALIZED (SELECT id, datastream_id FROM sensors_observation"
                " WHERE id > %s) SELECT count(*) FILTER (WHERE datastream_id = ANY(%s)),"
                " max(id) FROM fresh",
                [self.mark, self.streams],
            )
            new, mark = cursor.fetchone()
        self.total += new
        self.mark = mark or self.mark
        return self.total


def end_to_end(publishers: Publishers, streams: list[int]) -> dict:
    """Publish through the warm-up and the window, then wait for the backlog to drain.

    The warm-up lasts until the publishers are AHEAD messages ahead of the database (at least
    MIN_WARM_UP, at most MAX_WARM_UP seconds); in the window they stay at most AHEAD ahead, so
    the consumer always finds messages waiting and the drain measures the consumer alone.
    Polls every second.
    """
    counter = Counter(streams)
    log_offset = INGEST_LOG.stat().st_size if INGEST_LOG.exists() else 0
    samples: list[tuple[float, int, int]] = []  # (seconds since go, arrived, published)
    publishers.allow(AHEAD)
    go = time.monotonic()
    publishers.go.set()
    cpu: dict[str, dict[str, int]] = {}
    window = None  # index of the sample that opens the window
    progress = tqdm(total=int(WINDOW), desc="end to end", unit="s")
    tick = 0
    while window is None or len(samples) - 1 - window < WINDOW:
        tick += 1
        time.sleep(max(0.0, go + tick - time.monotonic()))
        arrived, published = counter.poll(), publishers.published()
        samples.append((time.monotonic() - go, arrived, published))
        publishers.allow(arrived + AHEAD)
        if window is None:
            progress.set_postfix(warm_up=tick, arrived=arrived, backlog=published - arrived)
            full = published - arrived >= AHEAD * 0.9
            if tick >= MAX_WARM_UP or (tick >= MIN_WARM_UP and full):
                window = len(samples) - 1
                cpu["start"] = cpu_snapshot(publishers)
            if tick >= MIN_WARM_UP * 3 and arrived == 0:
                progress.close()
                sys.exit(
                    f"nothing arrived within {tick} s: is `hub ingest` running and subscribed? "
                    f"(its log: {INGEST_LOG})"
                )
        else:
            progress.update()
            progress.set_postfix(arrived=arrived, backlog=published - arrived)
    cpu["end"] = cpu_snapshot(publishers)
    progress.close()
    stopped = time.monotonic()
    publishers.finish()
    total = publishers.published()
    drained = None
    with tqdm(total=total, initial=arrived, desc="drain", unit="obs", unit_scale=True) as bar:
        while time.monotonic() - stopped < DRAIN_LIMIT:
            arrived = counter.poll()
            bar.update(arrived - bar.n)
            if arrived >= total:
                drained = time.monotonic() - stopped
                break
            time.sleep(0.1)
    return {
        "samples": samples[window:],
        "all": samples,
        "warm_up": samples[window][0],
        "published": total,
        "arrived": arrived,
        "drained": drained,
        "cpu": cpu,
        "reports": consumer_reports(log_offset),
        "backlog": total - samples[-1][1],
    }


def report_end_to_end(found: dict, started: dt.datetime) -> float:
    samples = found["samples"]
    first, last = samples[0], samples[-1]
    seconds = last[0] - first[0]
    e2e = (last[1] - first[1]) / seconds
    published = (last[2] - first[2]) / seconds
    ten = [
        (samples[i + 10][1] - samples[i][1]) / (samples[i + 10][0] - samples[i][0])
        for i in range(0, len(samples) - 10, 10)
    ]
    print(
        f"\n1. end to end, MQTT (QoS 1, one observation per message) → hub ingest → "
        f"sensors_observation, {DEVICES:,} devices and datastreams, over {seconds:.0f} s after "
        f"{found['warm_up']:.0f} s warm-up: {e2e:,.0f} observations/s   target ≥ 10,000/s   "
        f"ratio {e2e / 10_000:.2f}"
    )
    print(
        f"  10-second rates in the window: min {min(ten):,.0f}/s, max {max(ten):,.0f}/s; "
        f"messages waiting at the broker: min {min(s[2] - s[1] for s in samples):,}, "
        f"max {max(s[2] - s[1] for s in samples):,} (the publishers stay at most {AHEAD:,} "
        f"ahead)"
    )
    best = max((b[2] - a[2]) / (b[0] - a[0]) for a, b in pairwise(found["all"]))
    print(
        f"  publishers ({PUBLISHERS} processes, bulk QoS 1, acknowledged by the broker): "
        f"{published:,.0f} messages/s in the window (held back), {best:,.0f}/s in their best "
        f"second while filling the backlog"
    )
    if found["drained"] is None:
        print(
            f"  backlog when publishing stopped: {found['backlog']:,} messages, NOT drained within "
            f"{DRAIN_LIMIT:.0f} s ({found['arrived']:,} of {found['published']:,} arrived)"
        )
    else:
        print(
            f"  backlog when publishing stopped: {found['backlog']:,} messages (at the broker, "
            f"or received by the consumer and not yet acknowledged), drained in "
            f"{found['drained']:.1f} s with the publishers quiet; {found['arrived']:,} of "
            f"{found['published']:,} published observations arrived"
        )
    cpu = found["cpu"]
    ticks = seconds * TICK
    spent = {name: (cpu["end"][name] - cpu["start"][name]) / ticks for name in cpu["end"]}
    print(
        f"  CPU in the window, share of one core ({os.cpu_count()} cores): "
        + ", ".join(f"{name} {share:.0%}" for name, share in spent.items())
    )
    reports = found["reports"]
    if len(reports) >= 2:
        messages = reports[-1][0] - reports[0][0]
        batches = reports[-1][1] - reports[0][1]
        if batches:
            print(
                f"  consumer log: {messages:,} messages in {batches:,} batches between two of its "
                f"reports: {messages / batches:,.0f} per batch"
            )
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE topic LIKE %s), count(*) FROM sensors_deadletter"
            " WHERE received_at >= %s",
            [f"hub/{HOME}/devices/{KEY}%", started],
        )
        ours, every = cursor.fetchone()
    print(
        f"  dead letters since the bench started: {ours} of bench messages (expected 0), "
        f"{every - ours} of others"
    )
    return e2e


# -- 3 and 4: reads ---------------------------------------------------------------------------


def timed_sql(sql: str, params: list, rounds: int) -> tuple[list[float], int]:
    seconds, rows = [], 0
    with connection.cursor() as cursor:
        for n in range(READ_WARM_UP + rounds):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())
            if n >= READ_WARM_UP:
                seconds.append(time.perf_counter() - started)
    return seconds, rows


def bench_reads(home: Tenant, streams: list[int], archive: int, history: tuple) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sensors_observation")
        cursor.execute("ANALYZE sensors_latest")
    first, end, _ = history
    latest_sql = (
        "SELECT datastream_id, phenomenon_time, result, result_json FROM sensors_latest"
        " WHERE datastream_id = ANY(%s)"
    )
    range_sql = (
        "SELECT id, phenomenon_time, result_time, result, result_json FROM sensors_observation"
        " WHERE datastream_id = %s AND phenomenon_time >= %s AND phenomenon_time <= %s"
        " ORDER BY phenomenon_time"
    )
    with tenant_context([home.pk]):
        latest, latest_rows = timed_sql(latest_sql, [streams], LATEST_ROUNDS)
        points, point_rows = timed_sql(range_sql, [archive, first, end], RANGE_ROUNDS)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + range_sql, [archive, first, end])
            plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])
    print(
        "\n3. and 4. measured at the database level: SQL through Django's connection as the hub "
        f"role in the tenant context of {HOME} (row-level security applies), without HTTP"
    )
    p95 = percentile(latest, 0.95)
    print(
        f"3. latest values of {len(streams):,} datastreams (sensors_latest, one query, "
        f"{latest_rows:,} rows), {LATEST_ROUNDS} queries: median "
        f"{statistics.median(latest) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms   target < 50 ms   "
        f"ratio {p95 * 1e3 / 50:.2f}"
    )
    p95 = percentile(points, 0.95)
    print(
        f"4. one datastream's {point_rows:,} points (range by datastream and phenomenon time, "
        f"ordered), {RANGE_ROUNDS} queries: median {statistics.median(points) * 1e3:.1f} ms, "
        f"p95 {p95 * 1e3:.1f} ms   target < 100 ms   ratio {p95 * 1e3 / 100:.2f}"
    )
    print(f"  plan: {plan}")


def fetch(session: requests.Session, url: str, **params) -> requests.Response:
    answer = session.get(url, params=params or None, timeout=60)
    if answer.status_code != 200:
        sys.exit(f"GET {answer.url}: HTTP {answer.status_code}\n{answer.text[:500]}")
    return answer


def timed_http(rounds: int, warm_up: int, read) -> tuple[list[float], int]:
    """Seconds of each of `rounds` calls of read() (after `warm_up`), and its last count."""
    seconds, count = [], 0
    for n in tqdm(range(warm_up + rounds), desc="HTTP", unit="reads", leave=False):
        started = time.perf_counter()
        count = read()
        if n >= warm_up:
            seconds.append(time.perf_counter() - started)
    return seconds, count


def bench_http(archive: int, history: tuple) -> None:
    """3 and 4 through the hub's HTTP endpoints, anonymous (the bench things are public)."""
    first, end, _ = history
    session = requests.Session()
    latest_url = f"{HUB}/api/v1/t/{HOME}/sensoren/aktuell.json"
    sta_url = f"{HUB}/t/{HOME}/sta/v1.1/Datastreams({archive})/Observations"
    csv_url = f"{HUB}/api/v1/t/{HOME}/sensoren/datenstroeme/{archive}/beobachtungen.csv"
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    sta_query = {
        "$filter": f"phenomenonTime ge {first:{stamp}} and phenomenonTime le {end:{stamp}}",
        "$orderby": "phenomenonTime asc",
    }
    small_page = 1000  # as a client that asks for a thousand at a time
    pages: list[int] = []

    def latest() -> int:
        return len(fetch(session, latest_url).json()["datastreams"])

    def sta(top: int, **extra: str):
        """A read of the range: the first page and every @iot.nextLink, parsed as JSON."""

        def read() -> int:
            points, url, requests_made = 0, sta_url, 0
            query = {**sta_query, "$top": str(top), **extra}
            while url:
                page = fetch(session, url, **query).json()
                if extra:  # dataArray: one array of rows per datastream
                    points += sum(len(group["dataArray"]) for group in page["value"])
                else:
                    points += len(page["value"])
                url, query = page.get("@iot.nextLink"), {}
                requests_made += 1
            pages.append(requests_made)
            return points

        return read

    def csv() -> int:
        answer = fetch(session, csv_url, von=f"{first:{stamp}}", bis=f"{end + MINUTE:{stamp}}")
        return answer.text.count("\n") - 1  # without the header

    print(f"\n3. and 4. over HTTP against the running hub ({HUB}), anonymous, keep-alive:")
    seconds, count = timed_http(HTTP_ROUNDS, 3, latest)
    p95 = percentile(seconds, 0.95)
    print(
        f"3. GET /api/v1/t/{HOME}/sensoren/aktuell.json (the latest value of every datastream "
        f"of the tenant, {count:,} of them), {len(seconds)} requests: median "
        f"{statistics.median(seconds) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms   target < 50 ms   "
        f"ratio {p95 * 1e3 / 50:.2f}"
    )
    seconds, count = timed_http(HTTP_ROUNDS, 2, csv)
    p95 = percentile(seconds, 0.95)
    print(
        f"4. GET …/sensoren/datenstroeme/<id>/beobachtungen.csv?von=…&bis=… ({count:,} points, "
        f"one request), {len(seconds)} requests: median {statistics.median(seconds) * 1e3:.1f} ms, "
        f"p95 {p95 * 1e3:.1f} ms   target < 100 ms   ratio {p95 * 1e3 / 100:.2f}"
    )
    seconds, count = timed_http(STA_ROUNDS, 2, sta(STA_PAGE))
    p95 = percentile(seconds, 0.95)
    print(
        f"4. SensorThings GET /t/{HOME}/sta/v1.1/Datastreams(<id>)/Observations?$filter="
        f"phenomenonTime ge … and le …&$orderby=phenomenonTime asc&$top={STA_PAGE} and any "
        f"nextLinks, standard JSON ({count:,} points in {pages[-1]} request(s); {STA_PAGE:,} is "
        f"the API's largest page, as FROST-Server's default), {len(seconds)} reads: median "
        f"{statistics.median(seconds) * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms   target < 100 ms   "
        f"ratio {p95 * 1e3 / 100:.2f}"
    )
    seconds, count = timed_http(STA_ROUNDS, 2, sta(STA_PAGE, **{"$resultFormat": "dataArray"}))
    print(
        f"  the same with $resultFormat=dataArray (v1.1 §14.3; {count:,} points in {pages[-1]} "
        f"request(s)): median {statistics.median(seconds) * 1e3:.0f} ms, p95 "
        f"{percentile(seconds, 0.95) * 1e3:.0f} ms"
    )
    seconds, count = timed_http(STA_ROUNDS, 1, sta(small_page))
    print(
        f"  the same in pages of $top={small_page:,}, following @iot.nextLink ($skip), standard "
        f"JSON ({count:,} points in {pages[-1]} requests): median "
        f"{statistics.median(seconds) * 1e3:.0f} ms, p95 {percentile(seconds, 0.95) * 1e3:.0f} ms;"
        f" per request: median {statistics.median(seconds) / pages[-1] * 1e3:.0f} ms"
    )


def main() -> None:
    print("\nRegional Data Hub — sensor ingest benchmarks (MQTT → PostgreSQL, reads)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    begun = time.perf_counter()
    started = dt.datetime.now(dt.UTC)
    consumer = pid_of("ingest")
    if consumer is None or not cpu_ticks(consumer):
        sys.exit("the stack's consumer (hub ingest) is not running: make up")
    # Forked now: no connection, no thread yet that a fork could copy half of.
    publishers = Publishers()
    home = Tenant.objects.get(slug=HOME)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated; removing the bench objects"))
    try:
        if problem := publishers.connected():
            sys.exit(problem)
        print(f"broker at the start: {broker_store()}")
        leftovers = cleanup(home)
        if leftovers["things"]:
            print(
                "removed what a killed earlier run left behind: "
                + ", ".join(f"{n:,} {what}" for what, n in leftovers.items())
            )
        made = time.perf_counter()
        streams, archive = create(home, publishers.keys)
        made = time.perf_counter() - made
        history = fill_history(home, archive)
        print(
            f"setup: {DEVICES:,} things with one datastream and one MQTT device each in "
            f"{made:.1f} s; the archive datastream's {HISTORY:,} points (one a minute) with "
            f"COPY in {history[2]:.1f} s"
        )
        copied = bench_copy(raw_rows(home, streams, "c"))
        written = bench_write(raw_rows(home, streams, "w"))
        found = end_to_end(publishers, streams)
        e2e = report_end_to_end(found, started)
        copy_rate, write_rate = RAW_ROWS / copied, RAW_ROWS / written
        print(
            f"\n2. the same kind of rows without MQTT, same table, same run, {RAW_ROWS:,} rows "
            f"each:\n  COPY straight into the month's partition, one statement: "
            f"{copy_rate:,.0f} rows/s\n  ingest.write() in batches of {BATCH:,} (temporary "
            f"table, INSERT … ON CONFLICT, latest-value upsert), one transaction each: "
            f"{write_rate:,.0f} rows/s"
        )
        print(
            f"  end to end / raw COPY: {e2e / copy_rate:.1%}   target ≥ 10 %   "
            f"ratio {e2e / copy_rate / 0.10:.2f}; end to end / ingest.write(): "
            f"{e2e / write_rate:.1%}"
        )
        bench_reads(home, streams, archive, history)
        bench_http(archive, history)
    finally:
        publishers.finish(timeout=5)
        removing = time.perf_counter()
        removed = cleanup(home)
        print(
            "\nremoved: "
            + ", ".join(f"{n:,} {what}" for what, n in removed.items())
            + f", in {time.perf_counter() - removing:.1f} s"
        )
    print(f"broker at the end: {broker_store()}")
    print(
        f"whole sensor bench: {time.perf_counter() - begun:.0f} s, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


if __name__ == "__main__":
    main()
