# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks of the chargers (make bench), against the running stack. Figures and ratios to
issue 15's targets, never pass/fail.

- OCPI 2.2.1 status PATCHes at the HTTP receiver: a bench operator is invited and registered
  in the stack (its versions served by a local HTTP server, as in the tests), PUTs a Location
  with 20 EVSEs beside a register entry, then sends 1,000 EVSE status PATCHes one after the
  other: throughput and p95;
- the chargers GeoJSON of the district (all 42 entries, live status included), 200 times: p95;
- afterwards the bench operator and its Location are removed again.
"""

from __future__ import annotations

import base64
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402

from hub.charging import services  # noqa: E402
from hub.charging.models import Location, Party, Station  # noqa: E402
from hub.tenancy.context import system_context  # noqa: E402
from hub.tenancy.models import Tenant  # noqa: E402
from tests.charging.ocpi_client import CpoServer  # noqa: E402
from tests.local_http import serving  # noqa: E402

HUB = settings.CONFIG["HUB_PUBLIC_URL"].rstrip("/")
PATCHES = 1000
MAPS = 200
EVSES = 20
STATUSES = ("AVAILABLE", "CHARGING", "AVAILABLE", "RESERVED", "OUTOFORDER")


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def token(value: str) -> dict[str, str]:
    return {"Authorization": "Token " + base64.b64encode(value.encode()).decode()}


def register(session: requests.Session, server: CpoServer) -> tuple[Party, str]:
    tenant = Tenant.objects.get(slug="haldensleben")
    party, token_a = services.invite(tenant, "Bench-Betreiber", "Stadtwerke Haldensleben GmbH")
    credentials = {
        "token": server.token_b,
        "url": f"{server.url}/ocpi/versions",
        "roles": [
            {
                "role": "CPO",
                "country_code": "DE",
                "party_id": "BEN",
                "business_details": {"name": "Bench-Betreiber"},
            }
        ],
    }
    answer = session.post(
        f"{HUB}/ocpi/2.2.1/credentials", json=credentials, headers=token(token_a), timeout=30
    )
    answer.raise_for_status()
    return party, answer.json()["data"]["token"]


def location(station: Station) -> dict:
    stamp = "2026-12-08T06:00:00Z"
    connector = {
        "id": "1",
        "standard": "IEC_62196_T2",
        "format": "SOCKET",
        "power_type": "AC_3_PHASE",
        "max_voltage": 230,
        "max_amperage": 32,
        "last_updated": stamp,
    }
    return {
        "country_code": "DE",
        "party_id": "BEN",
        "id": "BENCH-1",
        "publish": True,
        "address": station.address,
        "city": station.city,
        "country": "DEU",
        "coordinates": {
            "latitude": f"{station.point.y:.6f}",
            "longitude": f"{station.point.x:.6f}",
        },
        "time_zone": "Europe/Berlin",
        "last_updated": stamp,
        "evses": [
            {
                "uid": f"E{n}",
                "status": "AVAILABLE",
                "connectors": [connector],
                "last_updated": stamp,
            }
            for n in range(EVSES)
        ],
    }


def main() -> None:
    print("Regional Data Hub — charging benchmarks (issue 15)")
    if not Station.objects.exists():
        print("no register imported (hub charging import): nothing to measure")
        return
    session = requests.Session()
    server = CpoServer(token_b="bench-token-b")
    party = None
    try:
        with serving(server):
            party, token_c = register(session, server)
        auth = token(token_c)
        station = Station.objects.filter(operator="Stadtwerke Haldensleben GmbH").first()
        base = f"{HUB}/ocpi/2.2.1/locations/DE/BEN/BENCH-1"
        session.put(base, json=location(station), headers=auth, timeout=30).raise_for_status()
        took = []
        started = time.perf_counter()
        for n in range(PATCHES):
            body = {
                "status": STATUSES[n % len(STATUSES)],
                "last_updated": f"2026-12-08T07:{n // 60 % 60:02d}:{n % 60:02d}Z",
            }
            one = time.perf_counter()
            answer = session.patch(f"{base}/E{n % EVSES}", json=body, headers=auth, timeout=30)
            took.append((time.perf_counter() - one) * 1000)
            if answer.status_code != 200 or answer.json()["status_code"] != 1000:
                raise SystemExit(f"PATCH refused: {answer.status_code} {answer.text[:200]}")
        elapsed = time.perf_counter() - started
        p95 = p(took, 95)
        print(
            f"OCPI status PATCH (1 client, {PATCHES:,} in a row): {PATCHES / elapsed:6.0f}/s, "
            f"p50 {p(took, 50):5.1f} ms  p95 {p95:5.1f} ms   target p95 ≤ 20 ms   "
            f"ratio {p95 / 20:.2f}"
        )
        maps = []
        for _ in range(MAPS):
            one = time.perf_counter()
            answer = session.get(
                f"{HUB}/api/v1/t/landkreis-boerde/laden/ladesaeulen.geojson", timeout=30
            )
            answer.raise_for_status()
            maps.append((time.perf_counter() - one) * 1000)
        features = len(answer.json()["features"])
        p95 = p(maps, 95)
        print(
            f"chargers GeoJSON of the district ({features} entries, {MAPS} requests): "
            f"p50 {p(maps, 50):5.1f} ms  p95 {p95:5.1f} ms   target p95 ≤ 50 ms   "
            f"ratio {p95 / 50:.2f}"
        )
    finally:
        if party is not None:
            with system_context():
                Location.objects.filter(party_id=party.pk).delete()
                Party.objects.filter(pk=party.pk).delete()


if __name__ == "__main__":
    main()
