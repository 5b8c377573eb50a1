# SPDX-License-Identifier: EUPL-1.2
"""The realm as code: tenants/*.yaml → Keycloak, idempotent, never deleting people."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from identity.keycloak import admin_client
from identity.realm import ROLES
from tenants import reconcile
from tenants.reconcile.keycloak import KeycloakTarget

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
KEYCLOAK = ["keycloak"]


def realm_admin(name: str):
    return admin_client(name)


def test_apply_builds_the_realm_and_a_second_apply_changes_nothing(tenant_dir, keycloak_realm):
    first = reconcile.plan(tenant_dir, only=KEYCLOAK)
    assert "+ [keycloak] create realm " + keycloak_realm in [str(c) for c in first.changes]
    assert reconcile.apply(first, actor="test") == len(first)
    second = reconcile.plan(tenant_dir, only=KEYCLOAK)
    assert [str(c) for c in second.changes] == []

    admin = realm_admin(keycloak_realm)
    orgs = {o["alias"]: o for o in admin.get_organizations({"max": 100})}
    assert len(orgs) == 11
    assert [d["name"] for d in orgs["haldensleben"]["domains"]] == ["haldensleben.de"]
    assert [i["alias"] for i in admin.get_organization_idps(orgs["hohe-boerde"]["id"])] == [
        "hohe-boerde-verzeichnis"
    ]
    assert {r["name"] for r in admin.get_realm_roles()} >= set(ROLES)
    editor = admin.get_group_by_path("/tenants/haldensleben/editor")
    assert [r["name"] for r in admin.get_group_realm_roles(editor["id"])] == ["editor"]
    hub = admin.get_client(admin.get_client_id("hub"))
    assert hub["attributes"]["pkce.code.challenge.method"] == "S256"
    assert hub["publicClient"] is False
    assert hub["redirectUris"] == ["http://localhost:8000/oidc/callback/"]


def test_plan_changes_nothing_in_keycloak(tenant_dir, keycloak_realm):
    the_plan = reconcile.plan(tenant_dir, only=KEYCLOAK)
    assert len(the_plan) > 11
    realms = {r["realm"] for r in admin_client().get_realms()}
    assert keycloak_realm not in realms


def test_removed_tenant_disables_its_organization_and_keeps_its_people(tenant_dir, keycloak_realm):
    reconcile.apply(reconcile.plan(tenant_dir, only=KEYCLOAK), actor="test")
    admin = realm_admin(keycloak_realm)
    orgs = {o["alias"]: o["id"] for o in admin.get_organizations({"max": 100})}
    user_id = admin.create_user(
        {
            "username": "kaemmerin",
            "email": "k@gemeinde-moeser.de",
            "firstName": "K",
            "lastName": "M",
            "enabled": True,
        }
    )
    admin.organization_user_add(user_id, orgs["moeser"])
    (tenant_dir / "moeser.yaml").unlink()
    changes = reconcile.plan(tenant_dir, only=KEYCLOAK).changes
    assert [str(c) for c in changes] == [
        "- [keycloak] deactivate organization moeser\n      enabled: True → False"
    ]
    reconcile.apply(reconcile.plan(tenant_dir, only=KEYCLOAK), actor="test")
    moeser = admin.get_organization(orgs["moeser"])
    assert moeser["enabled"] is False
    assert admin.get_user(user_id)["username"] == "kaemmerin"
    assert [m["id"] for m in admin.get_organization_members(orgs["moeser"])] == [user_id]
    assert reconcile.plan(tenant_dir, only=KEYCLOAK).changes == []


def test_drift_in_keycloak_is_planned_back(tenant_dir, keycloak_realm):
    reconcile.apply(reconcile.plan(tenant_dir, only=KEYCLOAK), actor="test")
    admin = realm_admin(keycloak_realm)
    hub_id = admin.get_client_id("hub")
    admin.update_client(
        hub_id,
        {
            "attributes": {"pkce.code.challenge.method": ""},
            "redirectUris": ["https://evil.example/*"],
        },
    )
    changes = [str(c) for c in reconcile.plan(tenant_dir, only=KEYCLOAK).changes]
    assert len(changes) == 1
    assert changes[0].startswith("~ [keycloak] update client hub")
    assert "redirectUris" in changes[0]
    assert "attributes" in changes[0]
    reconcile.apply(reconcile.plan(tenant_dir, only=KEYCLOAK), actor="test")
    assert admin.get_client(hub_id)["redirectUris"] == ["http://localhost:8000/oidc/callback/"]


def test_missing_upstream_secret_is_named_and_nothing_is_applied(
    tenant_dir, keycloak_realm, monkeypatch
):
    monkeypatch.setattr("tenants.reconcile.keycloak.layered_environ", lambda: {})
    with pytest.raises(CommandError) as caught:
        call_command("tenants", "apply", "--dir", str(tenant_dir))
    message = str(caught.value)
    assert "hohe-boerde.yaml: identity_provider.client_secret_env" in message
    assert "HUB_IDP_HOHE_BOERDE_SECRET is not set" in message
    assert keycloak_realm not in {r["realm"] for r in admin_client().get_realms()}


def test_the_hub_roles_are_the_realm_roles():
    from hub.tenancy.models import Role

    assert tuple(r.value for r in Role) == ROLES
    assert KeycloakTarget.name == "keycloak"


def test_local_admin_sessions_are_not_sent_to_keycloak(db, client, django_user_model):
    """Regression: the silent refresh bounced the operators' local admin login to Keycloak."""
    admin = django_user_model.objects.create_superuser("operator", password="x" * 12)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/").status_code == 200
