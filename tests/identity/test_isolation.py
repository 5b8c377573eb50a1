# SPDX-License-Identifier: EUPL-1.2
"""Tenant isolation over the API: every write endpoint x role x another tenant's data.

The write endpoints are read from the hub's own OpenAPI document, so an endpoint added later
is part of the matrix without anyone remembering to add it here.
"""

from __future__ import annotations

import re

import pytest
from django.urls import resolve

from hub.api import api as hub_api
from hub.tenancy.permissions import TenantRoles
from identity.keycloak import admin_client
from tenants import reconcile

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
WRITE_METHODS = {"post", "put", "patch", "delete"}


def tenant_write_endpoints() -> list[tuple[str, str]]:
    schema = hub_api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        if "{slug}" not in path:
            continue
        for method in operations:
            if method in WRITE_METHODS:
                found.append((method, path))
    return sorted(found)


def token_for(token_realm, *grants: tuple[str, str]) -> str:
    """A user token whose groups and organizations grant these (tenant, role) pairs."""
    return token_realm.forge(
        azp="hub",
        preferred_username="person",
        groups=[f"/tenants/{slug}/{role}" for slug, role in grants],
        organization=sorted({slug for slug, _ in grants}),
    )


def call(client, method: str, path: str, slug: str, token: str):
    url = re.sub(r"\{slug\}", slug, path)
    url = re.sub(r"\{role\}", "editor", url)
    url = re.sub(r"\{[a-z_]+\}", "someone", url)
    return getattr(client, method)(
        url,
        data={"username": "someone", "role": "editor"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )


def test_there_are_write_endpoints_to_check():
    assert ("post", "/api/v1/t/{slug}/members") in tenant_write_endpoints()
    assert ("delete", "/api/v1/t/{slug}/members/{username}/{role}") in tenant_write_endpoints()


GRANTS_WITHOUT_REACH = [
    # (granted, target): the role on `granted` must give no write access to `target`
    (("haldensleben", "editor"), "hohe-boerde"),
    (("haldensleben", "editor"), "haldensleben"),  # an editor is no admin
    (("haldensleben", "moderator"), "haldensleben"),
    (("haldensleben", "citizen"), "haldensleben"),
    (("haldensleben", "developer"), "haldensleben"),
    (("haldensleben", "tenant-admin"), "hohe-boerde"),
    (("haldensleben", "tenant-admin"), "landkreis-boerde"),  # not upwards
    (("hohe-boerde", "region-admin"), "haldensleben"),  # not sideways
    (("energieeffizienznetzwerk-mittelland", "tenant-admin"), "haldensleben"),
    (("landkreis-boerde", "citizen"), "haldensleben"),  # citizen does not cascade
]


def allowed_roles(method: str, path: str) -> frozenset[str]:
    """The roles the endpoint's TenantRoles admits (read from the route itself)."""
    url = re.sub(r"\{[a-z_]+\}", "x", path)
    view = resolve(url).func  # ninja's wrapper around its PathView
    path_view = next(
        c.cell_contents for c in view.__closure__ or () if hasattr(c.cell_contents, "operations")
    )
    for operation in path_view.operations:
        if method.upper() in operation.methods:
            for check in operation.auth_callbacks:
                if isinstance(check, TenantRoles):
                    return check.roles
    raise AssertionError(f"{method} {path} has no TenantRoles: every tenant write needs one")


@pytest.mark.parametrize(("grant", "target"), GRANTS_WITHOUT_REACH)
def test_every_write_endpoint_refuses_without_the_role(
    seeded, api, client, token_realm, grant, target
):
    token = token_for(token_realm, grant)
    for method, path in tenant_write_endpoints():
        if grant[0] == target and grant[1] in allowed_roles(method, path):
            continue  # this role may write here (e.g. an editor registers sensor devices)
        response = call(client, method, path, target, token)
        assert response.status_code == 403, (method, path, response.content)
        assert target in response.json()["detail"]


def test_staff_role_without_organization_gives_no_access(seeded, api, client, token_realm):
    token = token_realm.forge(
        azp="hub", groups=["/tenants/haldensleben/tenant-admin"], organization=[]
    )
    for method, path in tenant_write_endpoints():
        assert call(client, method, path, "haldensleben", token).status_code == 403


@pytest.fixture
def realm_with_groups(seeded, keycloak_realm, tenant_dir):
    reconcile.apply(reconcile.plan(tenant_dir, only=["keycloak"]), actor="test")
    admin = admin_client(keycloak_realm)
    admin.create_user(
        {
            "username": "neue.kollegin",
            "email": "nk@haldensleben.de",
            "firstName": "Neue",
            "lastName": "Kollegin",
            "enabled": True,
        }
    )
    return admin


def test_region_admin_acts_on_child_tenants(api, client, token_realm, realm_with_groups):
    admin = realm_with_groups
    token = token_for(token_realm, ("landkreis-boerde", "region-admin"))
    headers = {"authorization": f"Bearer {token}"}
    granted = client.post(
        "/api/v1/t/haldensleben/members",
        content_type="application/json",
        data={"username": "neue.kollegin", "role": "editor"},
        headers=headers,
    )
    assert granted.status_code == 201, granted.content
    user_id = admin.get_user_id("neue.kollegin")
    assert "/tenants/haldensleben/editor" in {g["path"] for g in admin.get_user_groups(user_id)}
    # A staff role makes the person a member of the tenant's organization.
    assert [o["alias"] for o in admin.get_user_organizations(user_id)] == ["haldensleben"]
    listed = client.get("/api/v1/t/haldensleben/members", headers=headers).json()
    assert {
        "username": "neue.kollegin",
        "email": "nk@haldensleben.de",
        "roles": ["editor"],
    } in listed
    again = client.post(
        "/api/v1/t/haldensleben/members",
        content_type="application/json",
        data={"username": "neue.kollegin", "role": "editor"},
        headers=headers,
    )
    assert again.status_code == 409
    revoked = client.delete("/api/v1/t/haldensleben/members/neue.kollegin/editor", headers=headers)
    assert revoked.status_code == 204
    assert (
        client.delete(
            "/api/v1/t/haldensleben/members/neue.kollegin/editor", headers=headers
        ).status_code
        == 404
    )


def test_tenant_admin_cannot_hand_out_more_than_they_hold(
    api, client, token_realm, realm_with_groups
):
    token = token_for(token_realm, ("haldensleben", "tenant-admin"))
    response = client.post(
        "/api/v1/t/haldensleben/members",
        content_type="application/json",
        data={"username": "neue.kollegin", "role": "region-admin"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "you may not hand out the role 'region-admin'"


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"username": "gibt.es.nicht", "role": "editor"}, 404, "no person 'gibt.es.nicht'"),
        ({"username": "neue.kollegin", "role": "kaiser"}, 422, "role"),
        ({"username": "<script>", "role": "editor"}, 422, "username"),
        ({"username": "x" * 300, "role": "editor"}, 422, "username"),
        ({"role": "editor"}, 422, "username"),
    ],
)
def test_bad_grants_are_refused_with_a_reason(
    api, client, token_realm, realm_with_groups, body, status, fragment
):
    token = token_for(token_realm, ("haldensleben", "tenant-admin"))
    response = client.post(
        "/api/v1/t/haldensleben/members",
        content_type="application/json",
        data=body,
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == status, response.content
    assert fragment in response.content.decode()
