# SPDX-License-Identifier: EUPL-1.2
"""Bearer authentication of the hub's API: the realm's JWTs, verified locally (identity.tokens)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from hub.accounts import ratelimit
from hub.core.errors import Unauthenticated
from identity.claims import roles_from_claims
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
        header = request.headers.get("Authorization")
        if not header:
            raise Unauthenticated("no bearer token (send 'Authorization: Bearer <token>')")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            raise Unauthenticated("the Authorization header is not 'Bearer <token>'")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        try:
            claims = verifier().verify(token)
        except TokenInvalid as exc:
            raise Unauthenticated(exc.reason, code="invalid_token") from exc
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
