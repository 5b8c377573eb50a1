# SPDX-License-Identifier: EUPL-1.2
"""The fault table of make bench (issue 13): services of the running local stack are killed
under load, and what was sent is compared with what was stored or delivered. Figures, never
pass/fail; each row says whether the target is met: 0 lost, 0 doubled, recovery ≤ 30 s.

1. `hub ingest` SIGKILLed at message 10,000 of 30,000 QoS 1 messages, then started again.
2. PostgreSQL crashed at message 30,000 of 100,000 (`pg_ctl stop -m immediate`, run as the
   stack runs pg_ctl: the crash-recovery cycle of PostgreSQL's documentation), then started.
3. Mosquitto SIGKILLed holding a backlog: the ingest stopped (its persistent session keeps
   collecting), 20,000 QoS 1 messages published and acknowledged, the broker killed only once
   it has saved them, then broker and ingest started. Mosquitto 2 has no synchronous
   persistence (ADR 0011): it writes its whole database every `autosave_interval`, after the
   PUBACKs have gone out, so the bench waits for a save that began after the last PUBACK (the
   database is written to a new file and renamed, so each save is a new inode: one written
   after the PUBACK, then the next one). Row 3b kills the broker at once after the last PUBACK
   instead; that loses what arrived since its last save, and the row shows how much and how
   old it was. Mosquitto 2.0 counts the interval in whole seconds and saves when more than
   `autosave_interval` have passed, so the stack's `autosave_interval 1` means a save every
   2 s: the bound is the messages of the last 2 s, not 0.
4. The web's gunicorn master SIGKILLed while Open311 POSTs arrive at 50/s (the api_key of a
   bench client), then `stack.sh start web`, which ends the orphaned workers holding the port.
   Every POST carries a unique tag in its description. Sent = answered 201; lost = answered
   201 but not stored; doubled = a tag stored twice. POSTs refused while the hub was away
   (connection errors, 5xx: the client knew) are counted apart, and so are those stored
   although the client got no 201. Their notification mails are checked as well.
5. Redis SIGKILLed with 20 notification mails queued: the worker stopped, 20 reports created
   (each queues a mail to its department once committed), Redis killed, Redis and the worker
   started; every report's mail must reach the SMTP sink (var/mail) exactly once.

Messages 1-3 go to a datastream of their own on `hub/haldensleben/devices/dauertest-…/up`
with value, time and source id unique, so rows - distinct values = doubled and sent -
distinct = lost. After the last message (and after the restart) a marker message follows on
the same topic: the broker delivers a session's messages in order and the consumer stores them
in order, so once the marker is stored the consumer has caught up. Recovery is the time from
the kill until everything sent before it is stored or delivered again (rows 1-3, 5; where
something was lost, until the rest was), or until the first 201 after the outage (row 4).

The service the scenario killed is started by the bench with `stack.sh start`, as an operator
or a supervisor would; everything else must come back by itself, and after each scenario
`stack.sh status` must show the whole stack up again. A start that fails (it is tried again,
three times in all) or a service the bench had to start afterwards is named in the notes and
makes the row NOT MET, whatever the counts: the stack did not recover by itself.

Everything the bench creates is named "[Dauertest] …" (datastreams, devices, report texts,
hence the mails) or belongs to the API client "bench-durability"; it is removed at the end,
also when the bench fails or is terminated, and what a killed run left behind (also a service
it had stopped) is removed or started by the next run first.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import Error as DatabaseError  # noqa: E402
from django.db import connection  # noqa: E402
from tqdm import tqdm  # noqa: E402

from hub.accounts.clients import forget_client  # noqa: E402
from hub.accounts.models import ApiClient, User  # noqa: E402
from hub.core import mqtt as hub_mqtt  # noqa: E402
from hub.participation import services  # noqa: E402
from hub.participation.models import Category  # noqa: E402
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
from tests.perf.reports import remove_reports  # noqa: E402

# The bench's own connections notice the PostgreSQL crash it causes; that is no news.
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)

STACK = ROOT / "deploy/local/stack.sh"
STATE = Path(settings.STATE_DIR)
PG_DATA = STATE / "pg/data"
PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl"  # the binary stack.sh runs
PG_LOG = STATE / "log/postgresql.log"
MOSQUITTO_DB = STATE / "mosquitto/mosquitto.db"
MAIL = STATE / "mail"
REQUESTS = f"http://127.0.0.1:{os.environ.get('HUB_WEB_PORT', '8000')}/open311/v2/requests.json"
QUEUE = "celery"  # Celery's default queue, a Redis list; the hub routes no task elsewhere

HOME = "haldensleben"
NAME = "[Dauertest] Ingest"
PREFIX = "[Dauertest] "
CLIENT_ID = "bench-durability"  # api_key of the POSTs, Report.api_client of every bench report
RUN = uuid.uuid4().hex[:8]  # in device keys and report tags: no cache has seen them
START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
MARKER = -1  # value of the marker message; the measured messages are 0, 1, 2, …

TARGET_SECONDS = 30.0
INGEST_MESSAGES, INGEST_KILL_AT = 30_000, 10_000
PG_MESSAGES, PG_KILL_AT = 100_000, 30_000
BACKLOG = 20_000
POST_RATE = 50  # Open311 POSTs per second
POST_BEFORE = 5.0  # seconds of POSTs before the web's master is killed
POST_AFTER = 5.0  # … and after the first 201 again
MAILS = 20
MOSQUITTO_BOUND = 2.0  # seconds of acknowledged messages a broker crash may lose (see above)

POLL = 0.25
START_ATTEMPTS = 3
PUBACK_SECONDS = 120  # deadlines of the waits: generous, a loaded machine is slow
DRAIN_SECONDS = 300
SAVE_SECONDS = 30
MAIL_SECONDS = 180
STACK_SECONDS = 300


@dataclass
class Row:
    scenario: str
    sent: int = 0
    stored: int = 0
    lost: int = 0
    doubled: int = 0
    recovery: float | None = None
    notes: list[str] = field(default_factory=list)
    error: str = ""
    # Starts that failed and had to be repeated, services that did not come back by themselves:
    # the stack did not recover on its own, whatever the counts say.
    unrecovered: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        met = not self.lost and not self.doubled and not self.unrecovered
        if met and self.recovery is not None and self.recovery <= TARGET_SECONDS:
            return "OK"
        return "NOT MET"


@dataclass(frozen=True)
class Count:
    rows: int  # observations of the measured messages
    distinct: int  # distinct values among them
    early: int  # distinct values of the messages sent before the kill
    marker: bool


# -- waiting and the stack --------------------------------------------------------------------


def until(condition: Callable[[], object], seconds: float, interval: float = POLL) -> bool:
    """Poll `condition` until it holds (True) or `seconds` have passed (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


class Background(threading.Thread):
    """A call in a thread of its own; result() returns its value or raises its error."""

    def __init__(self, call: Callable, *args, **kwargs):
        super().__init__(daemon=True)
        self._call, self._args, self._kwargs = call, args, kwargs
        self._value = self._error = None
        self.start()

    def run(self) -> None:
        try:
            self._value = self._call(*self._args, **self._kwargs)
        except BaseException as exc:  # handed to the caller in result()
            self._error = exc

    def result(self, seconds: float):
        self.join(seconds)
        if self.is_alive():
            raise TimeoutError(f"{self._call.__name__} still runs after {seconds} s")
        if self._error is not None:
            raise self._error
        return self._value


def stack(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run deploy/local/stack.sh with this bench's state folder; its output only on failure."""
    done = subprocess.run(
        ["bash", str(STACK), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HUB_STATE_DIR": str(STATE)},
        timeout=900,
        check=False,
    )
    if check and done.returncode:
        output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr).strip()
        said = " / ".join(line.strip() for line in output.splitlines()[-3:])
        raise RuntimeError(f"stack.sh {' '.join(args)} failed: {said}")
    return done


FAILED_STARTS: list[str] = []  # of the scenario that runs; run() moves them into its row


def start(service: str) -> None:
    """`stack.sh start SERVICE` after a fault, as an operator would run it: a start that fails
    is noted (FAILED_STARTS) and tried again, at most START_ATTEMPTS times in all."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            stack("start", service)
            return
        except RuntimeError as exc:
            FAILED_STARTS.append(f"attempt {attempt}: {exc}")
    raise RuntimeError(f"{service} did not start in {START_ATTEMPTS} attempts")


def status() -> dict[str, str]:
    """Each service of `stack.sh status`: "ok", "FAILING" or "stopped"."""
    states = {}
    for line in stack("status", check=False).stdout.splitlines()[1:]:
        name, _pid, state, health = [*line.split(None, 3), ""][:4]
        states[name] = "stopped" if state == "stopped" else health.strip()
    return states


def ensure_up() -> tuple[float, list[str]]:
    """Wait until `stack.sh status` shows every service running and healthy, starting those
    that are stopped; (seconds it took, the services that had to be started)."""
    began, started = time.monotonic(), []
    while True:
        states = status()
        if states and all(health == "ok" for health in states.values()):
            return time.monotonic() - began, started
        stopped = [name for name, health in states.items() if health == "stopped"]
        if stopped:
            stack("start", *stopped)
            started += stopped
        elif time.monotonic() - began > STACK_SECONDS:
            raise RuntimeError(f"the stack is not up {STACK_SECONDS} s after the fault: {states}")
        else:
            time.sleep(2)


def pid_of(service: str) -> int:
    """The pid stack.sh recorded for a service, checked against the process's start time."""
    if service == "postgresql":
        return int((PG_DATA / "postmaster.pid").read_text().split()[0])
    pid, started = (STATE / "run" / f"{service}.pid").read_text().split()[:2]
    if _stat(int(pid))[19] != started:
        raise RuntimeError(f"the pid file of {service} names another process")
    return int(pid)


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()


def gone(pid: int) -> bool:
    try:
        return _stat(pid)[0] == "Z"  # a zombie has exited; it only waits to be reaped
    except FileNotFoundError:
        return True


def sigkill(service: str) -> float:
    """SIGKILL a service of the stack; the monotonic time of the kill."""
    pid = pid_of(service)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    if not until(lambda: gone(pid), 30, 0.05):
        raise RuntimeError(f"{service} (pid {pid}) still runs 30 s after SIGKILL")
    return killed


# -- sensor ingest ----------------------------------------------------------------------------


def cleanup_ingest() -> int:
    """Remove the bench's things, datastreams, observations and dead letters; how many things."""
    removed = 0
    with system_context():
        for thing in Thing.objects.filter(name=NAME):
            ids = list(thing.datastreams.values_list("pk", flat=True))
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM sensors_observation WHERE datastream_id = ANY(%s)", [ids]
                )
                cursor.execute("DELETE FROM sensors_latest WHERE datastream_id = ANY(%s)", [ids])
            Device.objects.filter(thing=thing).delete()
            thing.datastreams.all().delete()
            thing.delete()
            removed += 1
        # What the consumer could not map after a run was cut short.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM sensors_deadletter WHERE topic LIKE %s",
                [f"hub/{HOME}/devices/dauertest-%"],
            )
        Sensor.objects.filter(name=NAME).delete()
        ObservedProperty.objects.filter(name=NAME).delete()
    return removed


def setup(key: str) -> int:
    """A device `key` of the home tenant with one datastream of its own; the datastream's id."""
    with system_context():
        tenant = Tenant.objects.get(slug=HOME)
        thing = Thing.objects.create(tenant=tenant, name=NAME, public=False)
        stream = Datastream.objects.create(
            tenant=tenant,
            thing=thing,
            sensor=Sensor.objects.create(tenant=tenant, name=NAME),
            observed_property=ObservedProperty.objects.create(
                tenant=tenant, name=NAME, definition="https://example.org/dauertest"
            ),
            name=NAME,
            unit_of_measurement={"name": "count", "symbol": "1"},
        )
        Device.objects.create(
            tenant=tenant, network=Network.MQTT, key=key, thing=thing, mapping={"v": stream.pk}
        )
    return stream.pk


def count(stream: int, before: int = -1) -> Count | None:
    """What the datastream holds (None while the database is away)."""
    try:
        with system_context(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE result >= 0),"
                " count(DISTINCT result) FILTER (WHERE result >= 0),"
                " count(DISTINCT result) FILTER (WHERE result BETWEEN 0 AND %s),"
                " count(*) FILTER (WHERE result < 0)"
                " FROM sensors_observation WHERE datastream_id = %s",
                [before, stream],
            )
            rows, distinct, early, markers = cursor.fetchone()
    except DatabaseError:
        connection.close()
        return None
    return Count(rows, distinct, early, markers > 0)


def missing(stream: int, sent: int) -> list[int]:
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT result FROM sensors_observation"
            " WHERE datastream_id = %s AND result >= 0",
            [stream],
        )
        found = {int(value) for (value,) in cursor.fetchall()}
    return [i for i in range(sent) if i not in found]


def body(i: int) -> str:
    if i == MARKER:
        return json.dumps({"time": (START + dt.timedelta(days=1)).isoformat(), "v": i, "id": "end"})
    return json.dumps(
        {"time": (START + dt.timedelta(milliseconds=i)).isoformat(), "v": i, "id": f"d{i}"}
    )


def publish(
    key: str,
    values,
    *,
    progress=None,
    at: int | None = None,
    reached: threading.Event | None = None,
    acks: dict[int, float] | None = None,
) -> list:
    """Publish one QoS 1 message per value and wait for every PUBACK; their MQTTMessageInfo.

    `reached` is set once value `at` is handed to the client; `acks` gets the wall time of
    each PUBACK by message id.
    """
    client = hub_mqtt.client(f"dauertest-{uuid.uuid4().hex[:8]}")
    client.max_inflight_messages_set(1000)
    if acks is not None:
        client.on_publish = lambda _c, _u, mid, _rc, _p: acks.__setitem__(mid, time.time())
    hub_mqtt.connect(client)
    client.loop_start()
    sent = []
    try:
        for n, value in enumerate(values, 1):
            sent.append(client.publish(f"hub/{HOME}/devices/{key}/up", body(value), qos=1))
            if value == at and reached is not None:
                reached.set()
            if n % 1000 == 0:
                sent[-1].wait_for_publish(PUBACK_SECONDS)
                if progress is not None:
                    progress.update(1000)
        for message in sent:
            message.wait_for_publish(PUBACK_SECONDS)
        if unacked := sum(not message.is_published() for message in sent):
            raise RuntimeError(f"{unacked} of {len(sent)} messages got no PUBACK")
        if progress is not None:
            progress.update(len(sent) - progress.n)
        return sent
    finally:
        client.loop_stop()
        client.disconnect()


@dataclass(frozen=True)
class Drained:
    recovered: float | None  # kill → every message sent before it stored
    drained: float | None  # kill → the marker stored
    last: Count


def drain(stream: int, key: str, *, killed: float, before: int, total: int, publisher=None):
    """Wait until the consumer has caught up (the marker, published once the publisher is done,
    is stored) and note when everything sent before the kill was there again."""
    recovered = drained = last = None
    marked = False
    deadline = time.monotonic() + DRAIN_SECONDS
    with tqdm(total=total, desc="stored", unit=" obs", disable=None) as progress:
        while time.monotonic() < deadline:
            now = count(stream, before)
            if now is not None:
                last = now
                progress.update(max(0, now.distinct - progress.n))
                if recovered is None and now.early == before + 1:
                    recovered = time.monotonic() - killed
                if now.marker:
                    drained = time.monotonic() - killed
                    break
            if not marked and (publisher is None or not publisher.is_alive()):
                if publisher is not None:
                    publisher.result(0)  # its error, if it had one
                publish(key, [MARKER])
                marked = True
            time.sleep(POLL)
    if last is None:
        raise RuntimeError(f"the database did not answer within {DRAIN_SECONDS} s")
    return Drained(recovered, drained, last)


def ingest_row(label: str, sent: int, done: Drained) -> Row:
    last = done.last
    row = Row(
        label,
        sent=sent,
        stored=last.distinct,
        lost=sent - last.distinct,
        doubled=last.rows - last.distinct,
        recovery=done.recovered if done.recovered is not None else done.drained,
    )
    if done.drained is None:
        row.notes.append(f"not caught up within {DRAIN_SECONDS} s (the marker never arrived)")
        row.recovery = None
    elif done.recovered is None:
        row.notes.append("recovery: until the consumer had drained what was left")
    return row


def fault_under_publish(label: str, total: int, kill_at: int, fault: Callable[[], list]) -> Row:
    """Publish `total` messages; at message `kill_at` run `fault` (kill and start again)."""
    key = f"dauertest-{RUN}-{uuid.uuid4().hex[:4]}"
    stream = setup(key)
    reached = threading.Event()
    with tqdm(total=total, desc="publishing", unit=" msg", disable=None) as progress:
        publisher = Background(
            publish, key, range(total), progress=progress, at=kill_at, reached=reached
        )
        until(lambda: reached.is_set() or not publisher.is_alive(), PUBACK_SECONDS)
        if not reached.is_set():
            publisher.result(0)
            raise RuntimeError(f"message {kill_at} was not published in {PUBACK_SECONDS} s")
        by_then = count(stream)
        killed = time.monotonic()
        notes = fault()
        done = drain(stream, key, killed=killed, before=kill_at, total=total, publisher=publisher)
        publisher.result(PUBACK_SECONDS)
    row = ingest_row(label, total, done)
    row.notes[:0] = [
        f"killed after message {kill_at} of {total} was published, "
        f"{by_then.distinct if by_then else '?'} stored by then",
        *notes,
    ]
    return row


def kill_ingest() -> list[str]:
    sigkill("ingest")
    start("ingest")
    return []


def crash_postgresql() -> list[str]:
    logged = PG_LOG.stat().st_size if PG_LOG.exists() else 0
    began = time.monotonic()
    # What stack.sh's stop does, with "immediate": the postmaster and every backend end at once.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    stopped = subprocess.run(
        [*as_postgres, PG_CTL, "-D", str(PG_DATA), "-m", "immediate", "-w", "stop"],
        capture_output=True,
        text=True,
        check=False,
    )
    if stopped.returncode:
        raise RuntimeError(f"pg_ctl stop -m immediate failed: {stopped.stderr.strip()}")
    start("postgresql")
    back = time.monotonic() - began
    connection.close()
    with PG_LOG.open("rb") as log:
        log.seek(logged)
        recovered = b"automatic recovery in progress" in log.read()
    return [
        f"PostgreSQL down and accepting connections again after {back:.1f} s; "
        + ("crash recovery ran (its log)" if recovered else "its log shows no crash recovery")
    ]


def wait_saved(acknowledged: float) -> bool:
    """Wait for a save of the broker's database that began after `acknowledged` (wall time):
    a save written after it, then the next one (a new file, begun after that one's rename)."""
    first = None

    def saved() -> bool:
        nonlocal first
        try:
            stat = MOSQUITTO_DB.stat()
        except FileNotFoundError:  # never written yet
            return False
        if first is None:
            if stat.st_mtime_ns / 1e9 > acknowledged:
                first = stat.st_ino
            return False
        return stat.st_ino != first

    return until(saved, SAVE_SECONDS, 0.01)


def mosquitto_backlog(label: str, *, saved: bool) -> Row:
    key = f"dauertest-{RUN}-{uuid.uuid4().hex[:4]}"
    stream = setup(key)
    stack("stop", "ingest")
    acks: dict[int, float] = {}
    with tqdm(total=BACKLOG, desc="publishing", unit=" msg", disable=None) as progress:
        sent = publish(key, range(BACKLOG), progress=progress, acks=acks)
    acknowledged = time.time()
    notes = [f"{BACKLOG} messages acknowledged by the broker while the ingest was stopped"]
    if saved:
        began = time.monotonic()
        if not wait_saved(acknowledged):
            raise RuntimeError(f"{MOSQUITTO_DB} was not saved again within {SAVE_SECONDS} s")
        notes.append(f"killed {time.monotonic() - began:.1f} s after the last PUBACK, once saved")
    else:
        notes.append("killed at once after the last PUBACK")
    kill_wall = time.time()
    killed = sigkill("mosquitto")
    start("mosquitto")
    start("ingest")
    row = ingest_row(
        label, BACKLOG, drain(stream, key, killed=killed, before=BACKLOG - 1, total=BACKLOG)
    )
    if row.lost:
        ages = [kill_wall - acks.get(sent[i].mid, acknowledged) for i in missing(stream, BACKLOG)]
        bounded = max(ages) <= MOSQUITTO_BOUND
        notes.append(
            f"lost {row.lost}: acknowledged {min(ages):.2f}-{max(ages):.2f} s before the kill; "
            f"{'within' if bounded else 'BEYOND'} ADR 0011's bound (the last "
            f"{MOSQUITTO_BOUND:.0f} s: Mosquitto saves every 2 s with autosave_interval 1)"
        )
    row.notes[:0] = notes
    return row


# -- participation: reports and their mails ---------------------------------------------------

_MAILS: dict[str, int | None] = {}  # file in var/mail → 0 or report id if the bench's, else None


def _bench_mail(path: Path) -> int | None:
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = "" if message.is_multipart() else message.get_content()
    except (OSError, LookupError, ValueError):
        return None
    if PREFIX not in text:
        return None
    found = re.search(r"Meldung #(\d+)", str(message.get("subject", "")))
    return int(found[1]) if found else 0


def bench_mails() -> dict[Path, int]:
    """The bench's mails in the SMTP sink's folder (their report's text is in the body)."""
    found = {}
    for path in MAIL.glob("*.eml"):
        if path.name not in _MAILS:
            _MAILS[path.name] = _bench_mail(path)
        if _MAILS[path.name] is not None:
            found[path] = _MAILS[path.name]
    return found


def mails_of(ids: set[int]) -> Counter:
    return Counter(pk for pk in bench_mails().values() if pk in ids)


def wait_mails(ids: set[int], desc: str) -> tuple[Counter, bool]:
    """Wait until every report in `ids` has its mail; (mails per report, all there?)."""
    with tqdm(total=len(ids), desc=desc, unit=" mails", disable=None) as progress:

        def arrived() -> bool:
            there = len(mails_of(ids))
            progress.update(there - progress.n)
            return there == len(ids)

        complete = until(arrived, MAIL_SECONDS, 0.5)
    return mails_of(ids), complete


def cleanup_reports() -> int:
    """Remove the bench's reports, their events and photos; how many reports."""
    return len(remove_reports("api_client = %(client)s", {"client": CLIENT_ID}))


def cleanup() -> dict[str, int]:
    """Remove everything of the bench; how many of each kind."""
    removed = {"sensor things": cleanup_ingest(), "reports": cleanup_reports()}
    ApiClient.objects.filter(client_id=CLIENT_ID).delete()
    User.objects.filter(username=CLIENT_ID, is_active=False, keycloak_sub=None).delete()
    forget_client(CLIENT_ID)
    mails = bench_mails()
    for path in mails:
        path.unlink(missing_ok=True)
        _MAILS.pop(path.name, None)
    removed["mails"] = len(mails)
    return removed


def bench_client() -> None:
    """The API client of the POSTs; its limit above their 3,000 a minute (the portal's default
    of HUB_API_RATE_LIMIT would answer 429 after a few seconds)."""
    owner = User.objects.create_user(CLIENT_ID, is_active=False)
    ApiClient.objects.create(
        owner=owner, client_id=CLIENT_ID, name="Dauertest Beteiligung", rate_limit=1_000_000
    )
    forget_client(CLIENT_ID)


def home_category() -> tuple[Tenant, Category]:
    """The home tenant and a category of it that mails a department (the demo seed's address
    first, HUB_DEMO_DEPARTMENT_EMAIL)."""
    tenant = Tenant.objects.get(slug=HOME)
    seeded = settings.CONFIG["HUB_DEMO_DEPARTMENT_EMAIL"].format(slug=HOME)
    with tenant_context([tenant.pk]):
        categories = Category.objects.filter(tenant=tenant, is_active=True).exclude(
            department_email=""
        )
        category = categories.filter(department_email=seeded).first() or categories.first()
    if category is None:
        sys.exit(f"no category of {HOME} mails a department; run `make up` to seed them")
    return tenant, category


def stored_tags(prefix: str) -> dict[str, list[int]]:
    """Report ids by description, of the bench's reports whose text starts with `prefix`."""
    with system_context(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, id FROM participation_report"
            " WHERE api_client = %s AND starts_with(description, %s)",
            [CLIENT_ID, prefix],
        )
        tags: dict[str, list[int]] = {}
        for description, pk in cursor.fetchall():
            tags.setdefault(description, []).append(pk)
    return tags


@dataclass
class Attempt:
    tag: str
    sent: float
    answered: float = 0.0
    status: int | None = None  # None: no HTTP answer (refused, reset, timed out)


def _post(form: dict, attempt: Attempt) -> None:
    try:
        attempt.status = requests.post(REQUESTS, data=form, timeout=(5, 30)).status_code
    except requests.RequestException:
        attempt.status = None
    attempt.answered = time.monotonic()


def post_at_rate(form: dict, stop: threading.Event, attempts: list[Attempt], progress) -> None:
    """POST a report with a new tag POST_RATE times a second until `stop`; slow answers do not
    slow the rate (a pool of senders)."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        began = time.monotonic()
        for n in itertools.count():
            pause = began + n / POST_RATE - time.monotonic()
            if (pause > 0 and stop.wait(pause)) or stop.is_set():
                break
            attempt = Attempt(f"{PREFIX}web {RUN} #{n}", time.monotonic())
            attempts.append(attempt)
            pool.submit(_post, {**form, "description": attempt.tag}, attempt)
            progress.update()


def web_master(label: str) -> Row:
    tenant, category = home_category()
    spot = tenant.boundary.point_on_surface
    form = {
        "api_key": CLIENT_ID,
        "jurisdiction_id": HOME,
        "service_code": category.code,
        "lat": f"{spot.y:.6f}",
        "long": f"{spot.x:.6f}",
    }
    attempts: list[Attempt] = []
    stop = threading.Event()

    def accepted(after: float) -> list[Attempt]:
        return [a for a in list(attempts) if a.status == 201 and a.sent > after]

    with tqdm(desc="posting", unit=" POSTs", disable=None) as progress:
        poster = Background(post_at_rate, form, stop, attempts, progress)
        try:
            began = time.monotonic()
            if not until(lambda: accepted(began), 30):
                seen = Counter(a.status for a in attempts)
                raise RuntimeError(f"no POST answered 201 within 30 s: {dict(seen)}")
            until(lambda: time.monotonic() - began >= POST_BEFORE, POST_BEFORE + 1)
            killed = sigkill("web")
            start("web")
            if not until(lambda: accepted(killed), 120):
                raise RuntimeError("no POST answered 201 within 120 s of the kill")
            back = min(a.sent for a in accepted(killed))
            until(lambda: len(accepted(back)) >= POST_RATE * POST_AFTER, 120)
        finally:
            stop.set()
            poster.result(120)
    tags = stored_tags(f"{PREFIX}web {RUN} #")
    ok = [a for a in attempts if a.status == 201]
    refused = [a for a in attempts if a.status != 201 and a.sent >= killed]
    other = [a for a in attempts if a.status != 201 and a.sent < killed]
    first_refused = min((a.sent for a in refused), default=killed)
    again = [a.answered for a in ok if a.sent >= first_refused]
    row = Row(
        label,
        sent=len(ok),
        stored=sum(a.tag in tags for a in ok),
        lost=sum(a.tag not in tags for a in ok),
        doubled=sum(len(ids) > 1 for ids in tags.values()),
        recovery=min(again) - killed if again else None,
    )
    reasons = Counter("no answer" if a.status is None else f"HTTP {a.status}" for a in refused)
    row.notes.append(
        f"{len(attempts)} POSTs at {POST_RATE}/s, {len(ok)} answered 201; "
        f"{len(refused)} refused after the kill ("
        + (", ".join(f"{n} {why}" for why, n in reasons.most_common()) or "none")
        + f"), {sum(a.tag in tags for a in refused)} of them stored all the same"
    )
    if orphaned := [a for a in ok if killed < a.sent < first_refused]:
        row.notes.append(
            f"{len(orphaned)} POSTs sent after the kill were answered 201 before the first "
            "refusal: the master's orphaned workers went on serving"
        )
    if other:
        row.notes.append(f"{len(other)} POSTs before the kill were not answered 201 either")
    ids = {pk for pks in tags.values() for pk in pks}
    mails, complete = wait_mails(ids, "mails")
    row.notes.append(
        f"their notification mails: {len(mails)} of {len(ids)} delivered"
        f"{'' if complete else f' within {MAIL_SECONDS} s'}, "
        f"{sum(n > 1 for n in mails.values())} more than once"
    )
    return row


def queued() -> int:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return client.llen(QUEUE)
    finally:
        client.close()


def redis_queue(label: str) -> Row:
    tenant, category = home_category()
    spot = tenant.boundary.point_on_surface
    stack("stop", "worker")
    waiting = queued()
    ids = {
        services.submit(
            tenant=tenant,
            category=category,
            location=spot,
            description=f"{PREFIX}mail {RUN} #{n}",
            source="dauertest",
            api_client=CLIENT_ID,
        ).pk
        for n in range(MAILS)
    }
    if not until(lambda: queued() >= waiting + MAILS, 30):
        raise RuntimeError(f"{queued() - waiting} of {MAILS} mail tasks reached Redis")
    before = queued()
    killed = sigkill("redis")
    start("redis")
    after = queued()
    start("worker")
    mails, complete = wait_mails(ids, "mails")
    delivered = time.monotonic() - killed
    # Nothing left that could still deliver a second copy.
    until(lambda: queued() == 0, 60)
    mails = mails_of(ids)
    row = Row(
        label,
        sent=MAILS,
        stored=len(mails),
        lost=MAILS - len(mails),
        doubled=sum(n > 1 for n in mails.values()),
        recovery=delivered if complete else None,
    )
    row.notes.append(
        f"{MAILS} reports created with the worker stopped; {before} tasks in Redis's queue at "
        f"the kill ({waiting} before the reports), {after} after its restart"
    )
    return row


# -- the table --------------------------------------------------------------------------------

SCENARIOS: list[tuple[str, Callable[[str], Row]]] = [
    (
        "1 ingest consumer SIGKILL",
        lambda label: fault_under_publish(label, INGEST_MESSAGES, INGEST_KILL_AT, kill_ingest),
    ),
    (
        "2 PostgreSQL crash (immediate)",
        lambda label: fault_under_publish(label, PG_MESSAGES, PG_KILL_AT, crash_postgresql),
    ),
    ("3 Mosquitto SIGKILL, backlog saved", lambda label: mosquitto_backlog(label, saved=True)),
    ("3b Mosquitto SIGKILL at once", lambda label: mosquitto_backlog(label, saved=False)),
    ("4 web master SIGKILL, POSTs 50/s", web_master),
    ("5 Redis SIGKILL, 20 mails queued", redis_queue),
]


def run(label: str, scenario: Callable[[str], Row]) -> Row:
    print(f"\n{label}")
    began = time.monotonic()
    FAILED_STARTS.clear()
    try:
        row = scenario(label)
    except Exception as exc:  # one broken scenario must not keep the others from running
        traceback.print_exc()
        row = Row(label, error=f"{type(exc).__name__}: {exc}")
    connection.close()  # a database that was away leaves a dead connection behind
    seconds, started = ensure_up()
    row.unrecovered += FAILED_STARTS
    if started:
        row.unrecovered.append(f"the bench had to start {', '.join(started)} afterwards")
    row.notes.append(
        f"whole stack up again ({'at once' if seconds < 1 else f'{seconds:.0f} s later'}); "
        f"scenario {time.monotonic() - began:.0f} s"
    )
    return row


def print_table(rows: list[Row]) -> None:
    print(f"\nFaults under load: target 0 lost, 0 doubled, recovery ≤ {TARGET_SECONDS:.0f} s")
    header = (
        f"{'scenario':<36} {'sent':>7} {'stored':>7} {'lost':>6} {'doubled':>7} "
        f"{'recovery':>9}  target"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        recovery = "-" if row.recovery is None else f"{row.recovery:.1f} s"
        print(
            f"{row.scenario:<36} {row.sent:>7} {row.stored:>7} {row.lost:>6} {row.doubled:>7} "
            f"{recovery:>9}  {row.verdict}"
        )
    for row in rows:
        print(f"\n{row.scenario}:")
        for note in ([row.error] if row.error else []) + row.notes:
            print(f"  {note}")
        for failure in row.unrecovered:
            print(f"  NOT RECOVERED BY ITSELF: {failure}")
    print(
        "\nsent/stored: messages (1-3), 201-answered POSTs and the reports stored (4), mails "
        "queued and delivered (5); recovery: kill → all sent before it stored or delivered "
        "(1-3, 5), kill → first 201 after the outage (4)"
    )


def main() -> None:
    print("\nRegional Data Hub — faults under load (durability, issue 13)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    began = time.monotonic()
    # `kill` and a stopped `make bench` end here too, so that the finally below cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated; removing what the bench made"))
    _, started = ensure_up()
    if started:
        print(f"started {', '.join(started)}, which an earlier run left stopped")
    if leftovers := {kind: n for kind, n in cleanup().items() if n}:
        print(f"removed what an earlier run left behind: {leftovers}")
    rows = []
    try:
        bench_client()
        rows = [run(label, scenario) for label, scenario in SCENARIOS]
    finally:
        try:
            ensure_up()
        finally:
            removed = cleanup()
            print(f"\nremoved: {removed}, and the bench's API client")
    print_table(rows)
    print(
        f"\nwhole durability bench: {time.monotonic() - began:.0f} s, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


if __name__ == "__main__":
    main()
