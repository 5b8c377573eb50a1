# SPDX-License-Identifier: EUPL-1.2
"""Tenant isolation in PostgreSQL itself: row-level security behind the scoped managers."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from hub.tenancy.context import current_scope, system_context, tenant_context
from hub.tenancy.models import Membership, Role, TenantEvent, TenantOwned
from hub.tenancy.selectors import scope_for_user
from tests.seed import DISTRICT_MEMBERS, NETWORK_MEMBERS

pytestmark = pytest.mark.django_db


def raw_count(table: str) -> int:
    """Count rows with plain SQL: no ORM, no scoped manager, only PostgreSQL's policies."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def raw_tenants(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT tenant_id FROM {table}")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def events(seeded):
    """One audit event per tenant, written as the system."""
    with system_context():
        for tenant in seeded.values():
            TenantEvent.objects.create(tenant=tenant, actor="test", action="test.marker")
    return seeded


def test_every_tenant_owned_table_has_forced_row_level_security():
    owned = [m for m in apps.get_models() if issubclass(m, TenantOwned)]
    assert {m._meta.db_table for m in owned} >= {"tenancy_membership", "tenancy_tenantevent"}
    with connection.cursor() as cursor:
        for model in owned:
            table = model._meta.db_table
            cursor.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = %s",
                [table],
            )
            assert cursor.fetchone() == (True, True), f"{table} lacks forced RLS"
            cursor.execute(
                "SELECT count(*) FROM pg_policies WHERE tablename = %s "
                "AND policyname = 'tenant_isolation'",
                [table],
            )
            assert cursor.fetchone()[0] == 1, f"{table} lacks the tenant policy"


def test_the_hub_role_cannot_bypass_row_level_security():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_no_tenant_context_sees_no_tenant_rows(events):
    assert current_scope().tenant_ids == frozenset()
    assert raw_count("tenancy_tenantevent") == 0
    assert TenantEvent.objects.count() == 0
    with system_context():
        assert raw_count("tenancy_tenantevent") > 11


def test_tenant_context_sees_only_that_tenants_rows(events):
    haldensleben = events["haldensleben"]
    with tenant_context([haldensleben.pk]):
        assert raw_tenants("tenancy_tenantevent") == {haldensleben.pk}
        assert {e.tenant_id for e in TenantEvent.objects.all()} == {haldensleben.pk}
    # The context ends with the block.
    assert raw_count("tenancy_tenantevent") == 0


def test_rows_cannot_be_written_into_another_tenant(events):
    haldensleben, barleben = events["haldensleben"], events["barleben"]
    with tenant_context([haldensleben.pk]):
        TenantEvent.objects.create(tenant=haldensleben, actor="t", action="allowed")
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            TenantEvent.objects.create(tenant=barleben, actor="t", action="forbidden")
        # Moving a visible row into another tenant is refused as well.
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE tenancy_tenantevent SET tenant_id = %s", [barleben.pk])
        # And rows of other tenants cannot be touched: the update sees none of them.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM tenancy_tenantevent WHERE tenant_id = %s", [barleben.pk])
            assert cursor.rowcount == 0
    with system_context():
        assert TenantEvent.objects.filter(tenant=barleben).exists()


def test_a_query_without_the_manager_filter_is_still_walled(events):
    """The second wall: even the unscoped base manager sees only the context's rows."""
    hohe = events["hohe-boerde"]
    with tenant_context([hohe.pk]):
        assert set(TenantEvent._base_manager.values_list("tenant_id", flat=True)) == {hohe.pk}
    assert TenantEvent._base_manager.count() == 0


# role x tenant the role is granted on → the tenants whose rows the user sees
MATRIX = [
    (role, granted, expected)
    for granted, family in (
        ("landkreis-boerde", DISTRICT_MEMBERS),
        ("energieeffizienznetzwerk-mittelland", NETWORK_MEMBERS),
        ("haldensleben", set()),
        ("rdz-haldensleben", set()),
    )
    for role, expected in (
        (Role.CITIZEN, {granted}),
        (Role.DEVELOPER, {granted}),
        (Role.EDITOR, {granted} | family),
        (Role.MODERATOR, {granted} | family),
        (Role.TENANT_ADMIN, {granted} | family),
        (Role.REGION_ADMIN, {granted} | family),
    )
]


@pytest.mark.parametrize(("role", "granted", "expected"), MATRIX)
def test_role_reaches_children_only_where_it_cascades(events, make_user, role, granted, expected):
    user = make_user("person", (events[granted], role))
    scope = scope_for_user(user)
    by_id = {t.pk: slug for slug, t in events.items()}
    assert {by_id[i] for i in scope.tenant_ids} == expected
    with tenant_context(scope.tenant_ids, user_id=user.pk):
        assert {by_id[i] for i in raw_tenants("tenancy_tenantevent")} == expected


def test_deactivated_child_drops_out_of_reach(events, make_user):
    admin = make_user("kreisadmin", (events["landkreis-boerde"], Role.TENANT_ADMIN))
    events["wolmirstedt"].is_active = False
    events["wolmirstedt"].save()
    assert events["wolmirstedt"].pk not in scope_for_user(admin).tenant_ids


def test_users_read_their_own_memberships_but_no_one_elses(events, make_user):
    alice = make_user("alice", (events["haldensleben"], Role.CITIZEN))
    bob = make_user("bob", (events["haldensleben"], Role.CITIZEN), (events["moeser"], Role.CITIZEN))
    with tenant_context((), user_id=alice.pk):
        assert list(Membership._base_manager.values_list("user__username", flat=True)) == ["alice"]
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            # Reading one's own membership does not allow granting oneself another.
            Membership._base_manager.create(user=alice, tenant=events["moeser"], role=Role.EDITOR)
    with tenant_context((), user_id=bob.pk):
        assert Membership._base_manager.count() == 2


def test_superuser_scope_is_the_whole_region(events, make_user):
    root = make_user("root", superuser=True)
    assert scope_for_user(root).system is True


def test_request_runs_in_the_users_scope(events, make_user, client):
    """End to end: the admin list of audit events shows only the editor's tenants."""
    editor = make_user("editor", (events["haldensleben"], Role.EDITOR))
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="view_tenantevent"))
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/admin/tenancy/tenantevent/")
    assert page.status_code == 200
    listed = {event.tenant_id for event in page.context_data["cl"].result_list}
    assert listed == {events["haldensleben"].pk}
    assert current_scope().tenant_ids == frozenset()


def test_a_role_on_a_deactivated_tenant_reaches_nothing(events, make_user):
    """Regression: a cascading role on a deactivated district still reached its active towns."""
    admin = make_user("kreisadmin", (events["landkreis-boerde"], Role.TENANT_ADMIN))
    events["landkreis-boerde"].is_active = False
    events["landkreis-boerde"].save()
    assert scope_for_user(admin).tenant_ids == frozenset()


def test_a_pooled_connection_forgets_the_tenant_context(events):
    """The pool hands connections from request to request; none may carry a context over."""
    from django.conf import settings

    from hub.db import reset_connection

    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["reset"] is reset_connection
    with tenant_context([events["haldensleben"].pk]):
        raw = connection.connection  # the psycopg connection the pool would take back
        reset_connection(raw)
        assert raw.execute("SELECT current_setting('hub.tenant_ids', true)").fetchone()[0] in (
            None,
            "",
            "{}",
        )
        assert raw_count("tenancy_tenantevent") == 0


def test_a_cascade_does_not_pass_through_a_deactivated_tenant(events):
    """Regression (review): ancestors() walked through deactivated parents."""
    from hub.tenancy.permissions import ancestors

    assert "landkreis-boerde" in ancestors(events["barleben"])
    events["energieeffizienznetzwerk-mittelland"].is_active = False
    events["energieeffizienznetzwerk-mittelland"].save()
    assert ancestors(events["moeser"]) == []


def test_an_error_inside_a_context_is_the_error_you_see(db, seeded):
    """Regression: leaving the context reset the scope on the aborted transaction, and the
    caller got 'current transaction is aborted' instead of what went wrong."""
    from django.db import DataError

    with (
        pytest.raises(DataError),
        transaction.atomic(),
        tenant_context([seeded["barleben"].pk]),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 'keine Zahl'::int")
