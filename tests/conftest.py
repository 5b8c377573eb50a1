# SPDX-License-Identifier: EUPL-1.2
"""Shared fixtures. The tests run against the real local stack that `make test` brings up."""

from __future__ import annotations

import contextlib
import shutil
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from keycloak.exceptions import KeycloakDeleteError, KeycloakGetError

from hub.accounts.models import User
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Tenant
from identity import demo
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


# -- what the run leaves behind in the demo stack ----------------------------------------------


def _stack_sql(query: str, params: tuple = ()) -> list[tuple]:
    """A statement on the stack's own database (not the test database), in the system scope."""
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=settings.CONFIG["HUB_DB_NAME"],
    ) as conn:
        conn.execute("SELECT set_config('hub.system', 'on', false)")
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _stack_footprint() -> dict[str, object]:
    """What a person sees of the demo stack: CKAN's public catalogue, organizations and users,
    the region realm's users, and the rows of the hub's own (stack) database per tenant table."""
    import requests

    action = f"{settings.HUB_CKAN_URL}/api/3/action"
    admin = {"Authorization": settings.HUB_CKAN_API_TOKEN or ""}
    found: dict[str, object] = {
        "CKAN datasets": requests.get(f"{action}/package_search?rows=0", timeout=30).json()[
            "result"
        ]["count"],
        "CKAN organizations": sorted(
            requests.get(f"{action}/organization_list", timeout=30).json()["result"]
        ),
        "CKAN users": sorted(
            u["name"]
            for u in requests.get(f"{action}/user_list", headers=admin, timeout=30).json()["result"]
        ),
        "Keycloak users": admin_client(settings.HUB_KEYCLOAK["realm"]).users_count(),
        "Keycloak realms": sorted(r["realm"] for r in admin_client().get_realms()),
    }
    tables = [
        row[0]
        for row in _stack_sql(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
            " WHERE a.attname = 'tenant_id' AND c.relkind IN ('r', 'p')"
            " AND c.relnamespace = 'public'::regnamespace AND NOT c.relispartition"
            " ORDER BY 1"
        )
    ]
    for table in tables:
        if table == "sensors_deadletter":  # written by the stack's consumer, late; see below
            continue
        if table == "sensors_rollup":  # the stack's own beat rolls each finished hour up
            continue
        found[f"hub {table}"] = _stack_sql(f'SELECT count(*) FROM "{table}"')[0][0]
    return found


def _demo_accounts() -> dict[str, set[str]]:
    """The accounts the seeded demo people have in the hub, CKAN and the region realm: each is
    created by the person's first sign-in (the brokered one also in the realm), not by `make up`."""
    from tests.ckan.conftest import _ckan_sql

    people = [*demo.REGION_PEOPLE, *demo.DIRECTORY_PEOPLE]
    emails = [p.email for p in people]
    brokered = [p.username for p in demo.DIRECTORY_PEOPLE]
    realm = admin_client(settings.HUB_KEYCLOAK["realm"])
    return {
        "hub": {
            str(row[0])
            for row in _stack_sql("SELECT id FROM accounts_user WHERE email = ANY(%s)", (emails,))
        },
        "ckan": {
            row[0]
            for row in _ckan_sql(
                "SELECT name FROM \"user\" WHERE state = 'active' AND email = ANY(%s)", (emails,)
            )
        },
        "keycloak": {name for name in brokered if realm.get_user_id(name)},
    }


@contextlib.contextmanager
def on_stack_db(blocker, application_name: str):
    """A runner of `work(alias)` with the ORM on the stack's own database (the one the hub on
    :8000 writes to), in the system scope.

    The work runs in a thread of its own: Playwright's sync API keeps an event loop running in
    the test's thread, and Django refuses database work there.
    """
    from django.db import connections

    alias = f"stack-{application_name}"
    config = {**connections.settings["default"], "NAME": settings.CONFIG["HUB_DB_NAME"]}
    config["OPTIONS"] = {k: v for k, v in config["OPTIONS"].items() if k != "pool"}
    config["OPTIONS"]["application_name"] = application_name
    connections.settings[alias] = config

    def in_thread(work):
        try:
            with system_context(using=alias):
                return work(alias)
        finally:
            connections[alias].close()

    def run(work):
        with blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(in_thread, work).result()

    try:
        yield run
    finally:
        del connections.settings[alias]


def _forget_first_sign_ins(before: dict[str, set[str]], blocker) -> None:
    """Remove the demo people's accounts that this run's sign-ins created (and only those), so
    that the next first sign-in on this stack is a first sign-in again."""
    import requests

    created = {k: v - before[k] for k, v in _demo_accounts().items()}
    if created["hub"]:
        # Through the ORM, for its cascades (memberships, API clients, votes).
        with on_stack_db(blocker, "hub-test-cleanup") as run:
            run(lambda db: User.objects.using(db).filter(pk__in=created["hub"]).delete())
    for name in created["ckan"]:
        requests.post(
            f"{settings.HUB_CKAN_URL}/api/3/action/user_delete",
            json={"id": name},
            headers={"Authorization": settings.HUB_CKAN_API_TOKEN or ""},
            timeout=30,
        ).raise_for_status()
    realm = admin_client(settings.HUB_KEYCLOAK["realm"])
    for name in created["keycloak"]:
        realm.delete_user(realm.get_user_id(name))


@pytest.fixture(scope="session", autouse=True)
def _leaves_no_trace(request, django_db_blocker):
    """`make test` leaves the demo stack as it found it (CKAN, Keycloak, the hub's database):
    checked after the last test; a difference fails the run with what changed. Signing in as a
    demo person creates that person's accounts; those the run created are removed first."""
    if all("tests/unit/" in item.nodeid for item in request.session.items):
        yield
        return
    before = _stack_footprint()
    accounts = _demo_accounts()
    first_new = _stack_sql("SELECT coalesce(max(id), 0) + 1 FROM sensors_deadletter")[0][0]
    yield
    # The MQTT tests publish to the real broker, where the stack's own ingest consumer also
    # listens: the dead letters it kept of those test messages are the tests' to remove (the
    # count is not compared: the consumer may keep one a moment after the last test).
    _stack_sql("DELETE FROM sensors_deadletter WHERE id >= %s", (first_new,))
    _forget_first_sign_ins(accounts, django_db_blocker)
    after = _stack_footprint()
    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
    assert not changed, f"the tests left traces in the demo stack (before, after): {changed}"


@pytest.fixture
def smtp(settings):
    """Mail through the stack's real SMTP sink (var/mail/), not Django's in-memory backend;
    the folder the sink writes to (tests.participation.test_mail.mails_to reads it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    return Path(settings.HUB_MAIL_DIR)
