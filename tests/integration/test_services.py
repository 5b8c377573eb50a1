# SPDX-License-Identifier: EUPL-1.2
"""The real services of the local stack, reached the way the hub reaches them."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from keycloak import KeycloakAdmin

from hub.core import mqtt as hub_mqtt
from identity.keycloak import admin_client, provider

WEB = "http://127.0.0.1:8000"


def health() -> tuple[int, dict]:
    response = requests.get(f"{WEB}/healthz", timeout=15)
    return response.status_code, response.json()


def test_healthz_reports_every_dependency():
    status, body = health()
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"postgresql", "redis", "mosquitto", "keycloak"}
    assert body["checks"]["postgresql"]["detail"].startswith("PostGIS 3")


def test_healthz_turns_red_without_redis_and_green_when_it_is_back(stack):
    stack("stop", "redis")
    try:
        status, body = health()
        assert status == 503
        assert body["status"] == "error"
        assert body["checks"]["redis"]["status"] == "error"
        assert "Connection" in body["checks"]["redis"]["detail"]
        assert body["checks"]["postgresql"]["status"] == "ok"
    finally:
        stack("start", "redis")
    status, body = health()
    assert status == 200, body
    assert body["checks"]["redis"]["status"] == "ok"


def test_keycloak_admin_api_is_reachable_through_python_keycloak():
    admin = admin_client()
    assert "master" in provider().realms()
    # Write access too: create and remove a throwaway realm.
    name = f"test-{uuid.uuid4().hex[:8]}"
    admin.create_realm({"realm": name, "enabled": False})
    try:
        assert name in {realm["realm"] for realm in admin.get_realms()}
    finally:
        admin.delete_realm(name)
    assert name not in {realm["realm"] for realm in admin.get_realms()}


def test_keycloak_refuses_a_wrong_admin_password():
    from keycloak.exceptions import KeycloakAuthenticationError

    conf = settings.HUB_KEYCLOAK
    with pytest.raises(KeycloakAuthenticationError):
        KeycloakAdmin(
            server_url=conf["url"],
            username=conf["admin_user"],
            password="wrong",
            realm_name="master",
        ).get_realms()


def test_mosquitto_delivers_a_qos1_message_round_trip():
    host, port = settings.HUB_MQTT
    topic = f"hub/test/{uuid.uuid4().hex}"
    subscribed, arrived = threading.Event(), threading.Event()
    received: list[bytes] = []

    def on_message(client, userdata, message):
        received.append(message.payload)
        arrived.set()

    client = hub_mqtt.client()
    client.on_message = on_message
    client.on_subscribe = lambda *args: subscribed.set()
    client.connect(host, port)
    client.loop_start()
    try:
        client.subscribe(topic, qos=1)
        assert subscribed.wait(5), "no SUBACK from the broker"
        client.publish(topic, json.dumps({"ok": True}), qos=1).wait_for_publish(5)
        assert arrived.wait(5), "the message did not come back"
    finally:
        client.loop_stop()
        client.disconnect()
    assert received == [b'{"ok": true}']


def test_celery_worker_runs_the_reconcile_task_through_redis():
    from tenants.tasks import reconcile_tenants

    # The real worker against the stack's own database, seeded by `make up`: nothing to do.
    result = reconcile_tenants.delay().get(timeout=60)
    assert result == {"applied": 0, "problems": 0}


def test_beat_schedules_the_tenant_reconcile():
    from hub.core.registry import registry

    schedule = registry.beat_schedule()["reconcile-tenants"]
    assert schedule["task"] == "tenants.tasks.reconcile_tenants"
    assert schedule["schedule"] == 60.0 * 15


def test_the_worker_is_one_process_with_beat_as_a_thread():
    """ADR 0010: two task threads and beat in one process, no forked children."""
    import psutil

    from hub.celery import app

    [stats] = app.control.inspect(timeout=10).stats().values()
    assert stats["pool"]["implementation"] == "celery.concurrency.thread:TaskPool"
    assert stats["pool"]["max-concurrency"] == 2
    pid = int((Path(settings.STATE_DIR) / "run" / "worker.pid").read_text().split()[0])
    assert psutil.Process(pid).children(recursive=True) == []
    log = (Path(settings.STATE_DIR) / "log" / "worker.log").read_text(errors="replace")
    last_start = log.rsplit("beat: Starting", 1)
    assert len(last_start) == 2, "beat never started in the worker"
    # A forked beat logs as its own process ("INFO/Beat"); the thread logs as the worker's.
    assert last_start[0].rsplit("\n", 1)[-1].endswith("INFO/MainProcess] ")


def test_web_serves_the_start_page_with_local_leaflet():
    page = requests.get(f"{WEB}/", timeout=10)
    assert page.status_code == 200
    assert "Regionaler Datenhub" in page.text
    leaflet = [part.split('"')[0] for part in page.text.split('src="')[1:] if "leaflet" in part]
    assert leaflet, "no Leaflet script on the start page"
    script = requests.get(f"{WEB}{leaflet[0]}", timeout=10)
    assert script.status_code == 200
    assert "Leaflet" in script.text[:2000]
