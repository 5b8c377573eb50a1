# SPDX-License-Identifier: EUPL-1.2
"""The hub's one way into Keycloak's admin API (python-keycloak), configured from settings."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from keycloak import KeycloakAdmin


class IdentityProvider(Protocol):
    """What the hub needs of an identity provider; Keycloak is the implementation."""

    def realms(self) -> list[str]:
        """Names of the realms the admin can see."""


class Keycloak:
    def __init__(self, admin: KeycloakAdmin):
        self.admin = admin

    def realms(self) -> list[str]:
        return [realm["realm"] for realm in self.admin.get_realms()]


def admin_client(realm: str = "master") -> KeycloakAdmin:
    """An admin client signed in as HUB_KEYCLOAK_ADMIN_USER, working on `realm`."""
    conf = settings.HUB_KEYCLOAK
    return KeycloakAdmin(
        server_url=conf["url"],
        username=conf["admin_user"],
        password=conf["admin_password"],
        realm_name=realm,
        user_realm_name="master",
        timeout=10,
    )


def realm_admin() -> KeycloakAdmin:
    """An admin client working on the region's realm (HUB_KEYCLOAK_REALM)."""
    return admin_client(settings.HUB_KEYCLOAK["realm"])


def provider() -> IdentityProvider:
    return Keycloak(admin_client())
