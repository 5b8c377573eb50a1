# SPDX-License-Identifier: EUPL-1.2
"""Demo identities of the local stack (never of production): a stand-in municipal directory and
people in the region's realm. Idempotent; passwords come from HUB_DEMO_PASSWORD."""

from __future__ import annotations

from dataclasses import dataclass

from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakGetError

DIRECTORY_REALM = "hohe-boerde-verzeichnis"
DIRECTORY_CLIENT = "region-broker"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first: str
    last: str
    email: str
    groups: tuple[str, ...] = ()  # /tenants/<slug>/<role>
    organizations: tuple[str, ...] = ()


REGION_PEOPLE = (
    DemoPerson(
        "editor.haldensleben",
        "Erika",
        "Redakteurin",
        "erika.redakteurin@haldensleben.de",
        ("/tenants/haldensleben/editor",),
        ("haldensleben",),
    ),
    DemoPerson(
        "admin.landkreis",
        "Lars",
        "Landrat-Büro",
        "lars.buero@landkreis-boerde.de",
        ("/tenants/landkreis-boerde/tenant-admin",),
        ("landkreis-boerde",),
    ),
    DemoPerson(
        "region.admin",
        "Regina",
        "Regional",
        "regina.regional@landkreis-boerde.de",
        ("/tenants/landkreis-boerde/region-admin",),
        ("landkreis-boerde",),
    ),
    DemoPerson("buerger.demo", "Bernd", "Bürger", "bernd.buerger@example.org"),
)
DIRECTORY_PEOPLE = (
    DemoPerson("m.mustermann", "Max", "Mustermann", "max.mustermann@hohe-boerde.de"),
)


def ensure_user(admin: KeycloakAdmin, person: DemoPerson, password: str) -> str:
    payload = {
        "username": person.username,
        "email": person.email,
        "firstName": person.first,
        "lastName": person.last,
        "enabled": True,
        "emailVerified": True,
        "credentials": [{"type": "password", "value": password, "temporary": False}],
    }
    user_id = admin.get_user_id(person.username)
    if user_id is None:
        user_id = admin.create_user(payload)
    else:
        admin.update_user(user_id, {k: v for k, v in payload.items() if k != "credentials"})
        admin.set_user_password(user_id, password, temporary=False)
    return user_id


def ensure_directory(
    admin: KeycloakAdmin, *, broker_secret: str, region_url: str, password: str
) -> None:
    """The realm standing in for Hohe Börde's own directory, with its client for the region."""
    admin.change_current_realm("master")
    try:
        admin.get_realm(DIRECTORY_REALM)
    except KeycloakGetError:
        admin.create_realm(
            {
                "realm": DIRECTORY_REALM,
                "enabled": True,
                "displayName": "Verzeichnis der Gemeinde Hohe Börde (Demo)",
            }
        )
    admin.change_current_realm(DIRECTORY_REALM)
    client = {
        "clientId": DIRECTORY_CLIENT,
        "enabled": True,
        "publicClient": False,
        "standardFlowEnabled": True,
        "directAccessGrantsEnabled": False,
        "secret": broker_secret,
        "redirectUris": [f"{region_url}/broker/{DIRECTORY_REALM}/endpoint"],
    }
    client_uuid = admin.get_client_id(DIRECTORY_CLIENT)
    if client_uuid is None:
        admin.create_client(client)
    else:
        admin.update_client(client_uuid, client)
    for person in DIRECTORY_PEOPLE:
        ensure_user(admin, person, password)
    admin.change_current_realm("master")


def ensure_region_people(admin: KeycloakAdmin, realm: str, password: str) -> list[str]:
    admin.change_current_realm(realm)
    orgs = {o["alias"]: o["id"] for o in admin.get_organizations({"max": 1000})}
    names = []
    for person in REGION_PEOPLE:
        user_id = ensure_user(admin, person, password)
        have = {g["path"] for g in admin.get_user_groups(user_id)}
        for path in person.groups:
            if path not in have:
                admin.group_user_add(user_id, admin.get_group_by_path(path)["id"])
        member_of = {o["alias"] for o in admin.get_user_organizations(user_id)}
        for alias in person.organizations:
            if alias not in member_of:
                admin.organization_user_add(user_id, orgs[alias])
        names.append(person.username)
    admin.change_current_realm("master")
    return names
