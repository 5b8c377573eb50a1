# SPDX-License-Identifier: EUPL-1.2
"""/healthz: each dependency of the hub, probed live, as JSON (200 when all are up, else 503)."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis
import requests
from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from paho.mqtt.client import MQTTErrorCode

from hub.core import mqtt
from hub.core.access import public
from hub.core.registry import registry


def _postgresql(timeout: float) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = %s", [int(timeout * 1000)])
        cursor.execute("SELECT postgis_lib_version()")
        return f"PostGIS {cursor.fetchone()[0]}"


def _redis(timeout: float) -> str:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        client.ping()
        return "PONG"
    finally:
        client.close()


def _mosquitto(timeout: float) -> str:
    host, port = settings.HUB_MQTT
    client = mqtt.client(clean_session=True)
    client.connect(host, port, keepalive=max(5, int(timeout) + 1))
    try:
        # connect() only opens the socket; loop until the broker's CONNACK arrives.
        deadline = time.monotonic() + timeout
        while not client.is_connected():
            if time.monotonic() > deadline:
                raise TimeoutError("no CONNACK from the broker")
            if client.loop(timeout=0.1) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                raise ConnectionError("the broker closed the connection")
        return "CONNACK"
    finally:
        client.disconnect()


def _keycloak(timeout: float) -> str:
    response = requests.get(settings.HUB_KEYCLOAK["health_url"], timeout=timeout)
    response.raise_for_status()
    return response.json().get("status", "UP")


CHECKS: dict[str, Callable[[float], str]] = {
    "postgresql": _postgresql,
    "redis": _redis,
    "mosquitto": _mosquitto,
    "keycloak": _keycloak,
}


def check_all(timeout: float) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = check(timeout)
            status = "ok"
        except Exception as exc:
            # Any failure of a probe is that dependency's failure, never the endpoint's.
            status, detail = "error", f"{type(exc).__name__}: {exc}"
        results[name] = {
            "status": status,
            "detail": str(detail)[:300],
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
    return results


@public
@never_cache
def healthz(request):
    checks = check_all(settings.HUB_HEALTH_TIMEOUT)
    healthy = all(result["status"] == "ok" for result in checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "error", "checks": checks}
    if healthy:
        body["notes"] = notes()
    return JsonResponse(body, status=200 if healthy else 503)


def notes() -> dict[str, list[str]]:
    """What the apps registered for operators to know (hub.core.registry.add_health_note)."""
    found: dict[str, list[str]] = {}
    for name, source in registry.health_notes.items():
        try:
            listed = source()
        except Exception as exc:  # a note that fails is itself worth a note, not a 500
            listed = [f"{type(exc).__name__}: {exc}"[:300]]
        if listed:
            found[name] = listed
    return found
