# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of participation (make bench): the Open311 GeoReport v2 API at 100,000 reports,
over HTTP against the running hub. Figures and ratios to the targets, never pass/fail.

- GET requests.json of one jurisdiction with the `bbox` extension and a `status` filter, map
  viewports from a street to a whole municipality;
- POST requests.json, form-encoded, without a photo, with the api_key of a developer client
  that has the portal's default limit (the anonymous one, HUB_OPEN311_ANONYMOUS_PER_MINUTE,
  would stop the bench); interleaved with the GETs so that both see the same server;
- the seeding itself: 100,000 reports with COPY in one transaction, points inside the tenants'
  boundaries from PostGIS (ST_GeneratePoints), statuses and categories in a realistic mix.

Everything the bench writes is removed at the end, also when it fails or is terminated: the
seeded reports (`source` = "bench"), the reports its POSTs created (`api_client` = the bench
client), their events, and the bench client; the description prefix "[Benchmark]" tells a
person who comes across one meanwhile what it is. What a `kill -9` leaves behind, the next run
removes first.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from hub.accounts.clients import forget_client  # noqa: E402
from hub.accounts.models import ApiClient, User  # noqa: E402
from hub.participation import services  # noqa: E402
from hub.participation.models import OPEN, PUBLIC, Category, Report, Status  # noqa: E402
from hub.participation.open311 import views as open311  # noqa: E402
from hub.tenancy.context import system_context, tenant_context  # noqa: E402
from tests.perf.reports import remove_reports  # noqa: E402

HUB = f"http://127.0.0.1:{os.environ.get('HUB_WEB_PORT', '8000')}"
REQUESTS = f"{HUB}/open311/v2/requests.json"
TOTAL = 100_000  # bench reports in the database while measuring
SEED = 20261127  # the same reports on every machine
MARK = "bench"  # Report.source of the seeded reports
CLIENT_ID = "bench-participation"  # api_key of the bench's POSTs (Report.api_client of theirs)
PREFIX = "[Benchmark] "  # every bench report's description starts with it
HOME = "haldensleben"  # gets HOME_SHARE of the reports; the others share the rest evenly
HOME_SHARE = 0.3
DAYS = 730  # reports were created over the last two years
WARM_UP = 30  # rounds before measuring, and again after a restart of the hub
ROUNDS = 500  # measured rounds, each one GET and one POST
RESTART_WAIT = 180  # seconds to wait for a hub that `make up` restarts meanwhile
MAX_RESTARTS = 5
# Status mix of a mature installation: most reports are dealt with, a fifth still open.
STATUSES = {
    Status.SUBMITTED: 4,
    Status.REVIEWED: 7,
    Status.IN_PROGRESS: 10,
    Status.FIXED: 55,
    Status.NOT_RESPONSIBLE: 10,
    Status.DUPLICATE: 7,
    Status.CLOSED: 7,
}
CATEGORIES = {  # share of the default categories; a tenant's own ones get weight 1
    "strassenbeleuchtung": 25,
    "schaeden": 30,
    "muell": 20,
    "gruen": 15,
    "fundsache": 3,
    "sonstiges": 7,
}
# Width in degrees of longitude of a map viewport: a street, a quarter, a town, a municipality.
VIEWPORTS = (0.005, 0.01, 0.02, 0.05)
ASPECT = 0.4  # height / width in degrees at 52° N for a landscape map
STREETS = ("Hagenstraße", "Holzmarktstraße", "Magdeburger Straße", "Bahnhofstraße", "Am Markt")
TEXTS = (
    "Straßenlaterne leuchtet nicht",
    "Schlagloch auf der Fahrbahn",
    "Sperrmüll am Waldrand abgeladen",
    "Ast hängt über den Gehweg",
    "Gehwegplatte locker, Stolpergefahr",
    "Papierkorb quillt über",
)
COLUMNS = (
    "tenant_id",
    "category_id",
    "status",
    "description",
    "location",
    "address",
    "asset_id",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "consent_text",
    "token",
    "source",
    "api_client",
    "status_notes",
    "expected_at",
    "forwarded_to",
    "created_at",
    "updated_at",
    "closed_at",
    "anonymised_at",
)


class Restarted(Exception):
    """The hub went away during the measurement (the stack was restarted): measure again."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def cleanup() -> tuple[int, int]:
    """Remove every bench report, its events and photos, and the bench client.

    Returns (seeded reports removed, reports of bench POSTs removed).
    """
    sources = remove_reports(
        "source = %(mark)s OR api_client = %(client)s", {"mark": MARK, "client": CLIENT_ID}
    )
    ApiClient.objects.filter(client_id=CLIENT_ID).delete()
    User.objects.filter(username=CLIENT_ID, is_active=False, keycloak_sub=None).delete()
    forget_client(CLIENT_ID)
    seeded = sources.count(MARK)
    return seeded, len(sources) - seeded


def bench_client() -> str:
    """A developer client as the portal registers one, with the portal's default limit."""
    owner = User.objects.create_user(CLIENT_ID, is_active=False)
    ApiClient.objects.create(
        owner=owner,
        client_id=CLIENT_ID,
        name="Benchmark Beteiligung",
        rate_limit=settings.HUB_API_RATE_LIMIT,
    )
    return CLIENT_ID


def shares(tenants: list) -> dict:
    """How many of the TOTAL reports each participating tenant gets."""
    others = [t for t in tenants if t.slug != HOME]
    counts = {t: int(TOTAL * (1 - HOME_SHARE) / len(others)) for t in others}
    home = next(t for t in tenants if t.slug == HOME)
    counts[home] = TOTAL - sum(counts.values())
    return counts


def points(cursor, tenant, count: int) -> list[tuple[float, float]]:
    """`count` random points inside the tenant's boundary, (lon, lat)."""
    cursor.execute(
        "SELECT ST_X(geom), ST_Y(geom) FROM ST_Dump(ST_GeneratePoints("
        "(SELECT boundary FROM tenancy_tenant WHERE id = %s), %s, %s))",
        [tenant.pk, count, SEED],
    )
    return cursor.fetchall()


def report_row(rng: random.Random, tenant, category: Category, lon: float, lat: float, now):
    """One report as a COPY row (in COLUMNS order): lifecycle, dates and texts that fit."""
    status = rng.choices(list(STATUSES), weights=list(STATUSES.values()))[0]
    created = now - dt.timedelta(seconds=rng.uniform(0, DAYS * 86400))
    closed = anonymised = expected = None
    notes = forwarded = ""
    updated = min(now, created + dt.timedelta(hours=rng.uniform(1, 72)))
    if status not in OPEN:
        closed = updated = min(now, created + dt.timedelta(days=rng.uniform(0.5, 60)))
        if closed + dt.timedelta(days=settings.HUB_REPORT_ANONYMISE_DAYS) < now:
            anonymised = closed + dt.timedelta(days=settings.HUB_REPORT_ANONYMISE_DAYS)
    if status == Status.IN_PROGRESS:
        expected = (updated + dt.timedelta(days=rng.randint(3, 30))).date()
        notes = "Auftrag an den Bauhof erteilt"
    elif status == Status.NOT_RESPONSIBLE:
        forwarded = "Landkreis Börde, Straßenaufsicht"
        notes = f"Weitergeleitet an {forwarded}"
    asset = f"HDL-{rng.randint(1, 9999):04d}" if category.asks_asset_id else ""
    return (
        tenant.pk,
        category.pk,
        str(status),
        f"{PREFIX}{rng.choice(TEXTS)}",
        f"SRID=4326;POINT({lon} {lat})",
        f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
        asset,
        "",
        "",
        "",
        "",
        uuid.uuid4(),  # the reporter's secret: never predictable, not even in a bench
        MARK,
        "",
        notes,
        expected,
        forwarded,
        created,
        updated,
        closed,
        anonymised,
    )


def seed(tenants: list) -> tuple[dict, dict[str, float], dict]:
    """Write the TOTAL bench reports in one transaction; PostgreSQL refuses COPY FROM into a
    table with row-level security, so COPY fills a temporary table and one INSERT … SELECT
    moves the rows (the policy's WITH CHECK still sees every one of them).

    Returns (reports per tenant, seconds per step, sample points per tenant slug).
    """
    rng = random.Random(SEED)
    counts = shares(tenants)
    categories = {}
    for tenant in tenants:
        services.ensure_default_categories(tenant)
        with tenant_context([tenant.pk]):
            categories[tenant] = list(Category.objects.filter(tenant=tenant, is_active=True))
    seconds: dict[str, float] = {}
    samples: dict[str, list[tuple[float, float]]] = {}
    now = timezone.now()
    columns = ", ".join(COLUMNS)
    started = time.perf_counter()
    with transaction.atomic(), system_context(), connection.cursor() as cursor:
        rows = []
        for tenant, count in tqdm(counts.items(), desc="points", unit="tenants"):
            spots = points(cursor, tenant, count)
            weights = [CATEGORIES.get(c.code, 1) for c in categories[tenant]]
            for lon, lat in spots:
                category = rng.choices(categories[tenant], weights=weights)[0]
                rows.append(report_row(rng, tenant, category, lon, lat, now))
            samples[tenant.slug] = rng.sample(spots, min(len(spots), 2000))
        rows.sort(key=lambda row: row[COLUMNS.index("created_at")])  # as the table grows
        seconds["rows"] = time.perf_counter() - started
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_report ON COMMIT DROP AS"
            f" SELECT {columns} FROM participation_report WITH NO DATA"
        )
        with (
            cursor.copy(f"COPY bench_report ({columns}) FROM STDIN") as copy,
            tqdm(total=TOTAL, desc="COPY", unit="reports") as progress,
        ):
            for number, row in enumerate(rows, 1):
                copy.write_row(row)
                if number % 5000 == 0:
                    progress.update(5000)
        seconds["copy"] = time.perf_counter() - started - seconds["rows"]
        cursor.execute(
            f"INSERT INTO participation_report ({columns}) SELECT {columns} FROM bench_report"
        )
    seconds["seed"] = time.perf_counter() - started
    seconds["insert"] = seconds["seed"] - seconds["rows"] - seconds["copy"]
    analysed = time.perf_counter()
    # What autovacuum does within a minute of such a load; measured without it, the first
    # requests would be planned with the statistics of an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participation_report")
    seconds["analyze"] = time.perf_counter() - analysed
    return counts, seconds, samples


def census(home) -> dict[str, int]:
    """What the home tenant's GETs search through: all, public, public in the default window."""
    window = timezone.now() - dt.timedelta(days=open311.MAX_DAYS)
    with system_context():
        every = Report.objects.count()
        bench = Report.objects.filter(source=MARK).count()
        own = Report.objects.filter(tenant=home)
        public = own.filter(status__in=PUBLIC)
        return {
            "every": every,
            "bench": bench,
            "home": own.count(),
            "home_public": public.count(),
            "home_window": public.filter(created_at__gte=window).count(),
            "home_window_open": public.filter(created_at__gte=window, status__in=OPEN).count(),
        }


def get_params(rng: random.Random, samples: dict) -> tuple[str, float, dict]:
    """(status, viewport width, query) of one GET: a map of the home tenant being looked at."""
    lon, lat = rng.choice(samples[HOME])
    width = rng.choice(VIEWPORTS)
    status = rng.choice(("open", "closed"))
    bbox = (lon - width / 2, lat - width * ASPECT / 2, lon + width / 2, lat + width * ASPECT / 2)
    return (
        status,
        width,
        {
            "jurisdiction_id": HOME,
            "status": status,
            "bbox": ",".join(f"{v:.6f}" for v in bbox),
        },
    )


def post_body(rng: random.Random, samples: dict, categories: dict, api_key: str) -> tuple:
    """(routed by, form) of one POST: a citizen's app sends a report from somewhere in the region.

    Half of them name the jurisdiction; the others are routed by their point alone.
    """
    slug = rng.choice(list(samples))
    lon, lat = rng.choice(samples[slug])
    body = {
        "api_key": api_key,
        "service_code": rng.choice(categories[slug]),
        "lat": f"{lat:.6f}",
        "long": f"{lon:.6f}",
        "description": f"{PREFIX}{rng.choice(TEXTS)}",
        "address_string": f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
    }
    if rng.random() < 0.5:
        body["email"] = "buerger@example.org"
        body["first_name"], body["last_name"] = "Erika", "Mustermann"
    if rng.random() < 0.5:
        body["jurisdiction_id"] = slug
        return "jurisdiction_id", body
    return "point", body


def timed(session: requests.Session, method: str, **kwargs) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    try:
        response = session.request(method, REQUESTS, timeout=30, **kwargs)
    except requests.ConnectionError as exc:
        raise Restarted from exc
    return time.perf_counter() - started, response


def wait_for_hub() -> None:
    deadline = time.monotonic() + RESTART_WAIT
    while True:
        try:
            # Not /healthz: that one also fails while CKAN or Keycloak restart.
            if requests.get(f"{HUB}/open311/v2/discovery.json", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"the hub at {HUB} did not answer again within {RESTART_WAIT} s")
        time.sleep(1)


def check(response: requests.Response, expected: int, what: str) -> None:
    if response.status_code != expected:
        sys.exit(f"{what}: HTTP {response.status_code} instead of {expected}:\n{response.text}")


def bench_http(samples: dict, categories: dict, api_key: str) -> dict:
    """GET and POST interleaved; figures per kind, the rows the GETs answered, the waits."""
    rng = random.Random(SEED)
    session = requests.Session()
    gets: dict[tuple[str, float], list[float]] = defaultdict(list)
    rows: list[int] = []
    posts: dict[str, list[float]] = defaultdict(list)
    warm_up, restarts, limited = WARM_UP, 0, 0
    progress = tqdm(total=ROUNDS, desc="measuring", unit="rounds")
    while len(rows) < ROUNDS:
        status, width, params = get_params(rng, samples)
        routed, body = post_body(rng, samples, categories, api_key)
        try:
            get_seconds, answer = timed(session, "GET", params=params)
            check(answer, 200, f"GET {answer.url}")
            post_seconds, created = timed(session, "POST", data=body)
        except Restarted:
            restarts += 1
            if restarts > MAX_RESTARTS:
                sys.exit(f"the hub was restarted {restarts} times during the measurement")
            wait_for_hub()
            warm_up = WARM_UP
            continue
        if created.status_code == 429:  # the client's limit per minute: wait, do not count
            limited += 1
            time.sleep(int(created.headers.get("Retry-After", "5")))
            continue
        check(created, 201, f"POST {body}")
        if warm_up:
            warm_up -= 1
            continue
        gets[status, width].append(get_seconds)
        rows.append(len(answer.json()))
        posts[routed].append(post_seconds)
        progress.update()
    progress.close()
    return {"gets": gets, "rows": rows, "posts": posts, "restarts": restarts, "limited": limited}


def report_figures(found: dict) -> None:
    gets, rows, posts = found["gets"], found["rows"], found["posts"]
    every_get = [s for values in gets.values() for s in values]
    get_p95 = percentile(every_get, 0.95)
    print(
        f"\nGET requests.json?jurisdiction_id={HOME}&status=…&bbox=…, {len(every_get)} requests "
        f"over HTTP after {WARM_UP} warm-up: median {ms(statistics.median(every_get))}, "
        f"p95 {ms(get_p95)}   target < 30 ms   ratio {get_p95 * 1e3 / 30:.2f}"
    )
    print(
        f"  service requests per answer: median {statistics.median(rows):.0f}, "
        f"p95 {percentile(rows, 0.95)}, max {max(rows)} (at most {open311.MAX_RESULTS})"
    )
    for (status, width), values in sorted(gets.items()):
        viewport = f"bbox {width:.3f}° x {width * ASPECT:.3f}°"
        print(
            f"  status={status:<6} {viewport:<22} {len(values):>4} requests: "
            f"median {statistics.median(values) * 1e3:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1e3:6.1f} ms"
        )
    every_post = [s for values in posts.values() for s in values]
    post_p95 = percentile(every_post, 0.95)
    print(
        f"\nPOST requests.json, form-encoded, no photo, api_key of a developer client, "
        f"{len(every_post)} requests in the same run: median {ms(statistics.median(every_post))}, "
        f"p95 {ms(post_p95)}   target < 50 ms   ratio {post_p95 * 1e3 / 50:.2f}"
    )
    for routed, values in sorted(posts.items()):
        print(
            f"  routed by {routed:<16} {len(values):>4} requests: "
            f"median {statistics.median(values) * 1e3:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1e3:6.1f} ms"
        )
    if found["limited"]:
        print(f"  {found['limited']} POST(s) hit the client's limit per minute and waited it out")
    if found["restarts"]:
        print(f"  the hub was restarted {found['restarts']} time(s) meanwhile; warmed up again")


def main() -> None:
    print("\nRegional Data Hub — participation benchmarks (Open311 GeoReport v2)")
    # Client, hub and database share the machine, and so do other people's tests: say how busy.
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    started = time.perf_counter()
    tenants = list(services.participating_tenants().order_by("slug"))
    if HOME not in {t.slug for t in tenants}:
        sys.exit(f"{HOME} does not take part in participation; run `make up` to seed it")
    # `kill` and a stopped `make bench` end here too, so that the finally below cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated; removing the bench reports"))
    leftovers = cleanup()
    if any(leftovers):
        print(f"removed {sum(leftovers)} reports that a killed earlier run left behind")
    try:
        api_key = bench_client()
        counts, seconds, samples = seed(tenants)
        print(
            f"seeding: {TOTAL} reports in one transaction in {seconds['seed']:.1f} s: "
            f"{TOTAL / seconds['seed']:.0f} reports/s (points from ST_GeneratePoints and rows "
            f"{seconds['rows']:.1f} s, COPY into a temporary table {seconds['copy']:.1f} s, "
            f"INSERT … SELECT and commit {seconds['insert']:.1f} s; "
            f"ANALYZE afterwards {seconds['analyze']:.1f} s)"
        )
        print(
            "  "
            + ", ".join(
                f"{t.slug} {n}" for t, n in sorted(counts.items(), key=lambda item: item[0].slug)
            )
        )
        home = next(t for t in tenants if t.slug == HOME)
        seen = census(home)
        print(
            f"reports: {seen['every']} in the database ({seen['every'] - seen['bench']} outside "
            f"the bench); {HOME}: {seen['home']}, public {seen['home_public']}, public in the "
            f"last {open311.MAX_DAYS} days {seen['home_window']} (open {seen['home_window_open']})"
        )
        categories = {}
        for tenant in tenants:
            with tenant_context([tenant.pk]):
                codes = Category.objects.filter(tenant=tenant, is_active=True)
                categories[tenant.slug] = list(codes.values_list("code", flat=True))
        report_figures(bench_http(samples, categories, api_key))
    finally:
        removing = time.perf_counter()
        seeded, posted = cleanup()
        print(
            f"\nremoved: {seeded} seeded reports and {posted} reports of bench POSTs, their "
            f"events and the bench client, in {time.perf_counter() - removing:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE participation_report")
    print(
        f"whole participation bench: {time.perf_counter() - started:.0f} s, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


if __name__ == "__main__":
    main()
