# SPDX-License-Identifier: EUPL-1.2
"""Bearer authentication of the hub's API: the realm's JWTs, verified locally (identity.tokens)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from ninja.security import HttpBearer

from hub.accounts import ratelimit
from hub.accounts.services import roles_from_claims
from identity.tokens import TokenInvalid, TokenVerifier, VerifierConfig


@dataclass(frozen=True)
class Principal:
    """Who calls the API: a person (user) or a registered API client (client credentials)."""

    kind: str  # "user" | "client"
    subject: str
    name: str
    client_id: str
    tenant_roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    realm_roles: frozenset[str] = field(default_factory=frozenset)
    organizations: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, slug: str, role: str) -> bool:
        return (slug, role) in self.tenant_roles


class Unauthenticated(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def verifier() -> TokenVerifier:
    issuer = settings.HUB_OIDC_ISSUER
    return TokenVerifier(
        VerifierConfig(
            issuer=issuer,
            audience=settings.HUB_KEYCLOAK["audience"],
            jwks_url=f"{issuer}/protocol/openid-connect/certs",
        )
    )


def principal_from_claims(claims: dict) -> Principal:
    username = claims.get("preferred_username", "")
    client_id = claims.get("client_id") or claims.get("azp") or ""
    # Keycloak 26 writes `client_id` into tokens of client credentials only; a person who chose
    # a username like "service-account-x" at registration is still a person.
    is_client = "client_id" in claims
    roles = roles_from_claims(claims)
    return Principal(
        kind="client" if is_client else "user",
        subject=claims["sub"],
        name=client_id if is_client else username,
        client_id=client_id,
        tenant_roles=roles.tenant_roles,
        realm_roles=roles.realm_roles,
        organizations=roles.organizations,
    )


class BearerAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        if not request.headers.get("Authorization"):
            raise Unauthenticated("no bearer token (send 'Authorization: Bearer <token>')")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        try:
            claims = verifier().verify(token)
        except TokenInvalid as exc:
            raise Unauthenticated(exc.reason) from exc
        principal = principal_from_claims(claims)
        if principal.kind == "client":
            limit, revoked = ratelimit.client_policy(principal.client_id)
            if revoked:
                raise Unauthenticated(f"the API client {principal.client_id} was revoked")
            ratelimit.check(f"client:{principal.client_id}", limit)
        else:
            ratelimit.check(f"user:{principal.subject}", settings.HUB_API_RATE_LIMIT)
        request.principal = principal
        return principal


def unauthenticated_response(request: HttpRequest, exc: Unauthenticated) -> JsonResponse:
    """401 with the reason, in the body and in WWW-Authenticate (RFC 6750)."""
    reason = exc.reason.replace('"', "'")
    response = JsonResponse({"detail": exc.reason}, status=401)
    response["WWW-Authenticate"] = (
        f'Bearer realm="hub", error="invalid_token", error_description="{reason}"'
    )
    return response
