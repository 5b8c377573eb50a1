# SPDX-License-Identifier: EUPL-1.2
"""Shared fixtures. The tests run against the real local stack that `make test` brings up."""

from __future__ import annotations

import contextlib
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from keycloak.exceptions import KeycloakDeleteError, KeycloakGetError

from hub.accounts.models import User
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Tenant
from identity.keycloak import admin_client
from tenants import reconcile

SEED_DIR = Path(settings.HUB_TENANTS_DIR)


def _stack_endpoints() -> dict[str, tuple[str, int]]:
    db = settings.DATABASES["default"]
    broker = urlsplit(settings.CELERY_BROKER_URL)
    keycloak = urlsplit(settings.HUB_KEYCLOAK["url"])
    return {
        "PostgreSQL": (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)),
        "Redis": (broker.hostname or "127.0.0.1", broker.port or 6379),
        "Mosquitto": tuple(settings.HUB_MQTT),
        "Keycloak": (keycloak.hostname or "127.0.0.1", keycloak.port or 80),
    }


def pytest_collection_modifyitems(session, config, items) -> None:
    """Tests outside tests/unit/ need the local stack: say so at once when it is not up, rather
    than in a hundred connection errors."""
    if not any("tests/unit/" not in item.nodeid for item in items):
        return
    missing = []
    for name, (host, port) in _stack_endpoints().items():
        try:
            socket.create_connection((host, port), timeout=3).close()
        except OSError:
            missing.append(f"{name} ({host}:{port})")
    if missing:
        pytest.exit(
            "The local stack is not up: no answer from " + ", ".join(missing) + ".\n"
            "Start it with `make up` (once per machine; `make status` shows each service), "
            "then run pytest again. Only `pytest -m unit` runs without it.",
            returncode=4,
        )


@pytest.fixture(autouse=True)
def _own_mapfiles(settings, tmp_path_factory) -> None:
    """Mapfiles a test writes (any `tenants apply` with the ogc target) go to a folder of the
    test run: the stack's MapServer keeps serving the real database's."""
    settings.HUB_OGC = {
        **settings.HUB_OGC,
        "mapserver_dir": tmp_path_factory.getbasetemp() / "mapfiles",
    }


@pytest.fixture
def tenant_dir(tmp_path: Path) -> Path:
    """A writable copy of the seed tenant files."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    for path in SEED_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def seeded(db) -> dict[str, Tenant]:
    """The seed tenants applied to the test database, by slug."""
    reconcile.apply(reconcile.plan(SEED_DIR, only=["hub"]), actor="test")
    return {t.slug: t for t in Tenant.objects.all()}


@pytest.fixture
def keycloak_realm(settings):
    """Point the Keycloak target at a realm of its own, removed afterwards."""
    name = f"test-region-{uuid.uuid4().hex[:8]}"
    settings.HUB_KEYCLOAK = {**settings.HUB_KEYCLOAK, "realm": name}
    yield name
    with contextlib.suppress(KeycloakGetError, KeycloakDeleteError):  # never created
        admin_client().delete_realm(name)


@pytest.fixture
def make_user(db):
    def make(username: str, *grants: tuple[Tenant, str], superuser: bool = False) -> User:
        user = User.objects.create_user(username, password="pw-" + username)
        user.is_superuser = superuser
        user.save()
        with system_context():
            for tenant, role in grants:
                Membership.objects.create(user=user, tenant=tenant, role=role)
        return user

    return make
