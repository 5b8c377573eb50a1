# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of the catalogue (make bench): CKAN's search at 10,000 datasets, against the
running stack. Figures and ratios to the targets, never pass/fail.

- `package_search` with the five facets of the portal, a mix of German words, filters, sorting
  and paging, anonymous and as a sysadmin with private datasets, over HTTP;
- `package_show` in the same run, as the baseline the search is compared with;
- `ckan search-index rebuild` over every dataset (the index is a PostgreSQL table).

The benchmark catalogue (two organizations, a tenth of the datasets private) is seeded once,
through CKAN's `package_create` over HTTP, and kept: later runs find it and skip the seeding.
"""

from __future__ import annotations

import math
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from ckanapi import NotFound, RemoteCKAN, ValidationError  # noqa: E402
from django.conf import settings  # noqa: E402
from tqdm import tqdm  # noqa: E402

CKAN = "http://127.0.0.1:5000"
CKAN_CLI = str(Path(settings.STATE_DIR) / "ckan" / "venv" / "bin" / "ckan")
CKAN_INI = str(Path(settings.STATE_DIR) / "ckan" / "ckan.ini")
TOTAL = 10_000  # datasets in the whole catalogue, the bench's and everybody else's
ORGS = ("bench-katalog-1", "bench-katalog-2")
SEED = 20261127  # the same catalogue on every machine
WORKERS = 4  # parallel package_create calls while seeding (CKAN runs 2 gunicorn workers)
WARM_UP = 40  # rounds before measuring, and again after each restart of CKAN
MAX_RESTARTS = 20
ROUNDS = 400  # measured rounds, each one package_search and one package_show
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
TAGS = ("Mobilität", "Umwelt", "Energie", "Verwaltung", "Bildung", "ÖPNV", "Klima", "Tourismus")
FORMATS = ("CSV", "GeoJSON", "JSON", "PDF", "WMS")
LICENSES = ("dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0")  # ids of the dcat-ap.de list
THEMES = ("TRAN", "ENVI", "ENER", "GOVE", "REGI", "EDUC", "SOCI")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
WORDS = (
    "Haltestellen",
    "Ladesäulen",
    "Straßenbeleuchtung",
    "Haushaltsplan",
    "Schulen",
    "Radwege",
    "Messstellen",
    "Wahlergebnisse",
    "Baumkataster",
    "Bebauungspläne",
    "Spielplätze",
    "Parkplätze",
)
PLACES = (
    "Haldensleben",
    "Barleben",
    "Wolmirstedt",
    "Oebisfelde-Weferlingen",
    "Flechtingen",
    "Hohe Börde",
    "Niedere Börde",
    "Möser",
)
ADJECTIVES = ("aktuelle", "amtliche", "jährliche", "monatliche", "georeferenzierte")
# What people type: words of the titles, other forms of them, places, and words found nowhere.
QUERIES = (
    *WORDS,
    *PLACES,
    "Haltestelle",
    "Ladesäule Haldensleben",
    "Radwege Barleben",
    "Schulen 2021",
    "amtliche Messstellen",
    "Fahrradverleih",
    "Luftqualität Börde",
)
SORTS = (
    None,
    "score desc, metadata_modified desc",
    "metadata_modified desc",
    "title_string asc",
    "name asc",
)
RESTART_WAIT = 180  # seconds to wait for a CKAN that `make up` restarts meanwhile
_local = threading.local()


class Restarted(Exception):
    """CKAN went away during the measurement (the stack was restarted): measure again."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def dataset(org: str, number: int) -> dict:
    """The dataset number `number` of `org`: always the same, whoever creates it and when."""
    rng = random.Random(f"{SEED}:{org}:{number}")
    word, place, year = rng.choice(WORDS), rng.choice(PLACES), rng.randint(2015, 2026)
    adjective, other = rng.choice(ADJECTIVES), rng.choice(WORDS)
    return {
        "name": f"{org}-{number:05d}",
        "title": f"{word} {place} {year}",
        "notes": (
            f"{adjective.capitalize()} Daten über {word} in {place} aus dem Jahr {year}, "
            f"erhoben von der Verwaltung; siehe auch {other}. Datensatz {number} im "
            f"Benchmark-Katalog {org[-1]}."
        ),
        "owner_org": org,
        "private": rng.random() < 0.1,
        "license_id": rng.choice(LICENSES),
        "theme": [THEME + t for t in rng.sample(THEMES, k=rng.randint(1, 2))],
        "tags": [{"name": t} for t in rng.sample(TAGS, k=rng.randint(1, 3))],
        "resources": [
            {
                "url": f"https://example.org/{org}/{number}/{i}",
                "format": rng.choice(FORMATS),
                "name": f"{word} {year}, Teil {i + 1}",
            }
            for i in range(rng.randint(1, 3))
        ],
    }


def admin() -> RemoteCKAN:
    """One client (and keep-alive session) per thread."""
    if not hasattr(_local, "ckan"):
        _local.ckan = RemoteCKAN(CKAN, apikey=settings.HUB_CKAN_API_TOKEN)
    return _local.ckan


def call(ckan: RemoteCKAN, action: str, **data):
    """The action, once more after a connection error while CKAN is being restarted."""
    deadline = time.monotonic() + RESTART_WAIT
    while True:
        try:
            return ckan.call_action(action, data)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def create(spec: dict) -> None:
    try:
        call(admin(), "package_create", **spec)
    except ValidationError:
        # Created by an attempt whose answer a restart of CKAN cut off: nothing left to do.
        try:
            shown = call(admin(), "package_show", id=spec["name"])
        except NotFound:
            shown = {}
        if shown.get("title") != spec["title"]:
            raise


def count(ckan: RemoteCKAN, fq: str = "") -> int:
    return call(ckan, "package_search", fq=fq, include_private=True, rows=0)["count"]


def names_in(ckan: RemoteCKAN, org: str) -> set[str]:
    names, start = set(), 0
    while True:
        page = call(
            ckan,
            "package_search",
            fq=f"organization:{org}",
            include_private=True,
            fl="name",
            sort="name asc",
            rows=1000,
            start=start,
        )["results"]
        names |= {row["name"] for row in page}
        if len(page) < 1000:
            return names
        start += 1000


def seed() -> tuple[int, float]:
    """Create the missing bench datasets; (how many, seconds it took)."""
    ckan = admin()
    existing_orgs = call(ckan, "organization_list", all_fields=False, limit=1000)
    for org in ORGS:
        if org not in existing_orgs:
            call(ckan, "organization_create", name=org, title=f"Benchmark-Katalog {org[-1]}")
    have = {org: count(ckan, f"organization:{org}") for org in ORGS}
    others = count(ckan) - sum(have.values())
    per_org = math.ceil(max(0, TOTAL - others) / len(ORGS))
    missing = []
    for org in ORGS:
        if have[org] < per_org:
            present = names_in(ckan, org)
            missing += [(org, n) for n in range(per_org) if dataset(org, n)["name"] not in present]
    if not missing:
        return 0, 0.0
    started = time.perf_counter()
    with (
        ThreadPoolExecutor(WORKERS) as pool,
        tqdm(total=len(missing), desc="seeding", unit="datasets") as progress,
    ):
        futures = [pool.submit(create, dataset(org, n)) for org, n in missing]
        try:
            for future in as_completed(futures):
                future.result()  # the first error ends the bench, with CKAN's message
                progress.update()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return len(missing), time.perf_counter() - started


def search_mix(rng: random.Random) -> tuple[str, bool, dict]:
    """(kind, as sysadmin, data_dict) of one package_search as the portal and clients send it."""
    sysadmin = rng.random() < 0.3
    data: dict = {"facet.field": FACETS, "rows": rng.choice((10, 20, 20, 50))}
    roll = rng.random()
    # browse: the catalogue page, no words, facets only
    kinds = ((0.25, "browse"), (0.6, "words"), (0.85, "filter"), (1.0, "words+filter"))
    kind = next(name for limit, name in kinds if roll < limit)
    if "words" in kind:
        data["q"] = rng.choice(QUERIES)
    if "filter" in kind:
        filters = [
            f"organization:{rng.choice(ORGS)}",
            f'tags:"{rng.choice(TAGS)}"',
            f"res_format:{rng.choice(FORMATS)}",
            f'license_id:"{rng.choice(LICENSES)}"',
        ]
        data["fq"] = " AND ".join(rng.sample(filters, k=rng.randint(1, 2)))
    sort = rng.choice(SORTS)
    if sort:
        data["sort"] = sort
    if rng.random() < 0.3:  # a later page
        data["start"] = data["rows"] * rng.randint(1, 10)
    if sysadmin:
        data["include_private"] = True
    return kind, sysadmin, data


def timed(ckan: RemoteCKAN, action: str, data: dict) -> float:
    started = time.perf_counter()
    try:
        ckan.call_action(action, data)
    except requests.ConnectionError as exc:
        raise Restarted from exc
    return time.perf_counter() - started


def bench_http(per_org: dict[str, int]) -> tuple[dict[tuple[str, bool], list[float]], list, int]:
    """Search and show interleaved, so both see the same server; per (kind, sysadmin).

    A restart of CKAN (`make up` elsewhere) drops the round it cut and starts a new warm-up on
    the fresh workers; the rounds measured before it count. Also returns the restarts seen.
    """
    rng = random.Random(SEED)
    anonymous, sysadmin = RemoteCKAN(CKAN), RemoteCKAN(CKAN, apikey=settings.HUB_CKAN_API_TOKEN)
    search: dict[tuple[str, bool], list[float]] = defaultdict(list)
    show: list[float] = []
    warm_up, restarts = WARM_UP, 0
    while len(show) < ROUNDS:
        kind, as_admin, data = search_mix(rng)
        ckan = sysadmin if as_admin else anonymous
        org = rng.choice(ORGS)
        while True:  # anonymous callers see public datasets only
            wanted = dataset(org, rng.randrange(per_org[org]))
            if as_admin or not wanted["private"]:
                break
        try:
            seconds = timed(ckan, "package_search", data)
            show_seconds = timed(ckan, "package_show", {"id": wanted["name"]})
        except Restarted:
            restarts += 1
            if restarts > MAX_RESTARTS:
                sys.exit(f"CKAN was restarted {restarts} times during the measurement")
            count(admin())  # waits until CKAN answers again
            warm_up = WARM_UP
            continue
        if warm_up:
            warm_up -= 1
            continue
        search[kind, as_admin].append(seconds)
        show.append(show_seconds)
    return search, show, restarts


def bench_rebuild() -> tuple[int, float, float]:
    """(datasets indexed, seconds of the whole command, seconds until the first dataset)."""
    env = {**os.environ, "CKAN_INI": CKAN_INI}
    started = time.perf_counter()
    first = None
    output = b""
    with subprocess.Popen(
        [CKAN_CLI, "-c", CKAN_INI, "search-index", "rebuild"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        while chunk := process.stdout.read1(65536):
            if first is None and b"Indexing dataset" in chunk:
                first = time.perf_counter() - started
            output += chunk
        errors = process.stderr.read()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"ckan search-index rebuild failed:\n{errors.decode()[-4000:]}")
    done = re.findall(rb"Indexing dataset (\d+)/(\d+)", output)
    if not done or done[-1][0] != done[-1][1]:
        sys.exit(f"unexpected output of ckan search-index rebuild:\n{output[-2000:]!r}")
    return int(done[-1][1]), elapsed, first or 0.0


def main() -> None:
    print("\nRegional Data Hub — catalogue benchmarks")
    started = time.perf_counter()
    created, seconds = seed()
    ckan = admin()
    per_org = {org: count(ckan, f"organization:{org}") for org in ORGS}
    total = count(ckan)
    if created:
        print(
            f"seeding: {created} datasets created through package_create over HTTP, "
            f"{WORKERS} in parallel, in {seconds:.1f} s: {created / seconds:.1f} datasets/s"
        )
    else:
        print(f"seeding: nothing to create, {sum(per_org.values())} bench datasets present")
    print(
        f"catalogue: {total} datasets ({total - sum(per_org.values())} outside the bench, "
        + ", ".join(f"{org} {n}" for org, n in per_org.items())
        + ")"
    )

    search, show, restarts = bench_http(per_org)
    every = [s for values in search.values() for s in values]
    search_p95, show_p95 = percentile(every, 0.95), percentile(show, 0.95)
    print(
        f"\npackage_search, {len(FACETS)} facets, {len(every)} requests over HTTP "
        f"after {WARM_UP} warm-up: median {statistics.median(every) * 1e3:.1f} ms, "
        f"p95 {search_p95 * 1e3:.1f} ms   target < 50 ms   ratio {search_p95 * 1e3 / 50:.2f}"
    )
    if restarts:
        print(f"  CKAN was restarted {restarts} time(s) meanwhile; each time warmed up again")
    for (kind, as_admin), values in sorted(search.items()):
        who = "sysadmin, include_private" if as_admin else "anonymous"
        print(
            f"  {kind:<12} {who:<25} {len(values):>4} requests: "
            f"median {statistics.median(values) * 1e3:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1e3:6.1f} ms"
        )
    print(
        f"package_show, {len(show)} requests in the same run: "
        f"median {statistics.median(show) * 1e3:.1f} ms, p95 {show_p95 * 1e3:.1f} ms"
    )
    print(
        f"search p95 / show p95: {search_p95 / show_p95:.2f}   target ≤ 2   "
        f"ratio {search_p95 / show_p95 / 2:.2f}"
    )

    indexed, wall, start_up = bench_rebuild()
    print(
        f"\n`ckan search-index rebuild`, {indexed} datasets: wall {wall:.1f} s "
        f"(CKAN start-up {start_up:.1f} s): {indexed / (wall - start_up):.0f} datasets/s "
        f"indexing, {indexed / wall:.0f} datasets/s for the whole command"
    )
    print(f"whole catalogue bench: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
