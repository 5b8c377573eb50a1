# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of the foundation (make bench): figures and ratios to the targets, never pass/fail.

- `hub tenants apply` of the seed tenants, cold (empty database) and warm (nothing to change),
  as the whole command a person runs and as the reconcile inside it;
- a second `make up` on the running stack;
- the resident memory of the whole running stack (RSS, and PSS which counts shared pages once).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("HUB_STATE_DIR", ROOT / "var"))
HUB = str(ROOT / ".venv" / "bin" / "hub")
BENCH_DB = "hub_bench"
# Every service `make up` starts (deploy/local/stack.sh SERVICES); beat runs inside the worker.
SERVICES = [
    "postgresql",
    "redis",
    "mosquitto",
    "mail",
    "keycloak",
    "ckan",
    "web",
    "mapserver",
    "worker",
    "ingest",
]
WARM_RUNS = 5


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def reconcile_seconds(output: str) -> float:
    match = re.search(r"Applied (\d+) change\(s\) in ([\d.]+)s", output)
    if match is None:
        sys.exit(f"unexpected output of hub tenants apply:\n{output}")
    return float(match[2])


def psql(sql: str) -> None:
    """Run SQL as the hub's role on the maintenance database (the role may create databases)."""
    env = {**os.environ, **read_env(), "HUB_BENCH_SQL": sql}
    code = (
        "import os, psycopg\n"
        "c = psycopg.connect(host=os.environ['HUB_DB_HOST'], port=os.environ['HUB_DB_PORT'],"
        " user=os.environ['HUB_DB_USER'], password=os.environ['HUB_DB_PASSWORD'],"
        " dbname='postgres', autocommit=True)\n"
        "c.execute(os.environ['HUB_BENCH_SQL'])\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def read_env() -> dict[str, str]:
    values = {}
    for line in (STATE / "hub.env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key] = value
    return values


def bench_apply() -> dict[str, float]:
    psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    psql(f"CREATE DATABASE {BENCH_DB}")
    # The bench database's mapfiles go to a folder of their own: the stack's MapServer keeps
    # reading the real ones.
    mapfiles = tempfile.mkdtemp(prefix="bench-mapserver-")
    env = {**os.environ, "HUB_DB_NAME": BENCH_DB, "HUB_MAPSERVER_DIR": mapfiles}
    try:
        run([HUB, "migrate", "--noinput"], env)
        cold_wall, cold_out = run([HUB, "tenants", "apply"], env)
        warm = [run([HUB, "tenants", "apply"], env) for _ in range(WARM_RUNS)]
    finally:
        psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        shutil.rmtree(mapfiles, ignore_errors=True)
    if "Applied 0 change(s)" not in warm[-1][1]:
        sys.exit("warm apply was not a no-op:\n" + warm[-1][1])
    return {
        "cold_wall": cold_wall,
        "cold_reconcile": reconcile_seconds(cold_out),
        "warm_wall": statistics.median(w for w, _ in warm),
        "warm_reconcile": statistics.median(reconcile_seconds(o) for _, o in warm),
    }


def stack_memory() -> tuple[dict[str, tuple[int, int, int]], int, int]:
    per_service = {}
    for name in SERVICES:
        pidfile = STATE / ("pg/data/postmaster.pid" if name == "postgresql" else f"run/{name}.pid")
        pid = int(pidfile.read_text().split()[0])
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
        # Processes of the service's own group that are not its descendants (none expected).
        rss = pss = 0
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.NoSuchProcess:
                continue
            rss += info.rss
            pss += info.pss
        per_service[name] = (len(procs), rss, pss)
    total_rss = sum(rss for _, rss, _ in per_service.values())
    total_pss = sum(pss for _, _, pss in per_service.values())
    return per_service, total_rss, total_pss


def main() -> None:
    mib = 1024 * 1024
    print("Regional Data Hub — foundation benchmarks")
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB\n")

    up_seconds, _ = run(["bash", str(ROOT / "deploy/local/stack.sh"), "up"])
    print(
        f"second `make up` on the running stack: {up_seconds:6.1f} s"
        f"   target < 60 s   ratio {up_seconds / 60:.2f}"
    )

    apply = bench_apply()
    print(
        "\n`hub tenants apply`, 11 seed tenants (median of "
        f"{WARM_RUNS} warm runs; wall = whole command incl. Django start-up)"
    )
    print(f"  cold: wall {apply['cold_wall']:6.2f} s   reconcile {apply['cold_reconcile']:6.3f} s")
    print(
        f"  warm: wall {apply['warm_wall']:6.2f} s   reconcile {apply['warm_reconcile']:6.3f} s"
        f"   target < 5 s   ratio {apply['warm_wall'] / 5:.2f}"
    )

    per_service, total_rss, total_pss = stack_memory()
    print("\nresident memory of the running stack")
    print(f"  {'service':<11} {'procs':>5} {'RSS MiB':>9} {'PSS MiB':>9}")
    for name, (count, rss, pss) in per_service.items():
        print(f"  {name:<11} {count:>5} {rss / mib:>9.1f} {pss / mib:>9.1f}")
    print(
        f"  {'total':<11} {'':>5} {total_rss / mib:>9.1f} {total_pss / mib:>9.1f}"
        f"   target < 3072 MiB (DESIGN)   ratio (RSS) {total_rss / mib / 3072:.2f}"
    )
    # Issue 12: under 2.4 GiB RSS after `make test` (run `make bench` right after it).
    print(
        f"  {'':<11} {'':>5} {'':>9} {'':>9}   target < {2.4 * 1024:.0f} MiB after make test"
        f"   ratio (RSS) {total_rss / mib / (2.4 * 1024):.2f}"
    )


if __name__ == "__main__":
    main()
