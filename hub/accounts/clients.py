# SPDX-License-Identifier: EUPL-1.2
"""The developer portal's use cases: register, rotate and revoke API clients in Keycloak."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from keycloak import KeycloakAdmin

from hub.accounts.models import ApiClient, User
from hub.accounts.ratelimit import PORTAL_PREFIX
from hub.core.errors import Conflict, Invalid, NotFound
from identity.keycloak import realm_admin


def _uuid(admin: KeycloakAdmin, client_id: str) -> str:
    found = admin.get_client_id(client_id)
    if found is None:
        raise NotFound(f"API client {client_id} is missing in Keycloak", code="client_missing")
    return found


def register_client(owner: User, name: str) -> tuple[ApiClient, str]:
    """Create the client in Keycloak; returns it and its secret, which is shown only once."""
    name = name.strip()
    if not 3 <= len(name) <= 100:
        raise Invalid("Der Name braucht 3 bis 100 Zeichen.", field="name")
    active = owner.api_clients.filter(revoked_at=None).count()
    if active >= settings.HUB_API_CLIENTS_PER_PERSON:
        raise Conflict(
            f"Sie haben schon {active} aktive API-Clients; widerrufen Sie erst einen davon."
        )
    client_id = f"{PORTAL_PREFIX}{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(32)
    admin = realm_admin()
    admin.create_client(
        {
            "clientId": client_id,
            "name": name,
            "description": f"API-Client von {owner.username}",
            "enabled": True,
            "publicClient": False,
            "standardFlowEnabled": False,
            "directAccessGrantsEnabled": False,
            "serviceAccountsEnabled": True,
            "secret": secret,
            "attributes": {"hub.owner": owner.keycloak_sub or owner.username},
            "protocolMappers": [
                {
                    "name": "hub-api audience",
                    "protocol": "openid-connect",
                    "protocolMapper": "oidc-audience-mapper",
                    "config": {
                        "included.client.audience": settings.HUB_KEYCLOAK["audience"],
                        "access.token.claim": "true",
                    },
                }
            ],
        }
    )
    client = ApiClient.objects.create(
        owner=owner, client_id=client_id, name=name, rate_limit=settings.HUB_API_RATE_LIMIT
    )
    return client, secret


def rotate_secret(client: ApiClient) -> str:
    if not client.is_active:
        raise Conflict("Ein widerrufener API-Client bekommt kein neues Geheimnis.")
    admin = realm_admin()
    secret = admin.generate_client_secrets(_uuid(admin, client.client_id))["value"]
    client.rotated_at = timezone.now()
    client.save(update_fields=["rotated_at"])
    return secret


def revoke_client(client: ApiClient) -> None:
    """Disable the client in Keycloak (no new tokens) and in the hub (its tokens stop working)."""
    if not client.is_active:
        return
    admin = realm_admin()
    with transaction.atomic():
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        admin.update_client(_uuid(admin, client.client_id), {"enabled": False})
    forget_client(client.client_id)


def forget_client(client_id: str) -> None:
    from django.core.cache import cache

    from hub.accounts.ratelimit import client_cache_key

    cache.delete(client_cache_key(client_id))
