# SPDX-License-Identifier: EUPL-1.2
"""The region's Keycloak realm as code, derived from the tenant files.

One realm for the region. Per tenant: a Keycloak Organization (alias = slug, the tenant's mail
domains, its upstream directory as an org-linked identity provider) and a group per role under
`/tenants/<slug>/<role>`, which carries the realm role of that name. A person's role in a tenant
is membership of that group; tokens carry the group paths (`groups`) and the organizations
(`organization`), and the hub maps both onto its memberships at every sign-in and refresh.

Clients: `hub` (confidential, authorization code + PKCE), `ckan`, `ogc`, and `hub-api`, the
audience of every token the hub's API accepts. Developers' API clients are created by the
developer portal, not here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

ROLES = ("citizen", "editor", "moderator", "tenant-admin", "region-admin", "developer")
TENANTS_GROUP = "tenants"


@dataclass(frozen=True)
class RealmSettings:
    realm: str
    hub_url: str
    ckan_url: str
    api_audience: str
    hub_client_secret: str
    ckan_client_secret: str
    ogc_client_secret: str


class IdentityConfigError(ValueError):
    """The tenant files ask for something the environment cannot provide (a missing secret)."""


@dataclass
class RealmModel:
    """Desired state of the managed parts of the realm; everything else is left alone."""

    realm: dict[str, Any]
    roles: list[str]
    groups: dict[str, list[str]]  # tenant slug -> its role groups
    clients: dict[str, dict[str, Any]]  # clientId -> representation (+ "secret", "mappers")
    idps: dict[str, dict[str, Any]]  # alias -> representation (+ "mappers")
    organizations: dict[str, dict[str, Any]]  # alias -> representation (+ "idp")
    secrets: dict[str, str] = field(default_factory=dict)


def secret_fingerprint(secret: str) -> str:
    """What the realm stores about an IdP secret, so a change can be seen without reading it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def _mappers(*, audience: str) -> list[dict[str, Any]]:
    return [
        {
            "name": "hub-api audience",
            "protocol": "openid-connect",
            "protocolMapper": "oidc-audience-mapper",
            "config": {
                "included.client.audience": audience,
                "access.token.claim": "true",
                "id.token.claim": "false",
                "introspection.token.claim": "true",
            },
        },
        {
            "name": "tenant groups",
            "protocol": "openid-connect",
            "protocolMapper": "oidc-group-membership-mapper",
            "config": {
                "claim.name": "groups",
                "full.path": "true",
                "access.token.claim": "true",
                "id.token.claim": "true",
                "userinfo.token.claim": "true",
                "introspection.token.claim": "true",
            },
        },
    ]


def _web_client(
    client_id: str, name: str, *, base_url: str, secret: str, callback: str, audience: str
) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "name": name,
        "enabled": True,
        "protocol": "openid-connect",
        "publicClient": False,
        "standardFlowEnabled": True,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": False,
        "rootUrl": base_url,
        "baseUrl": "/",
        "redirectUris": sorted({f"{base_url}{callback}"}),
        "webOrigins": [base_url],
        "attributes": {
            "pkce.code.challenge.method": "S256",
            "post.logout.redirect.uris": f"{base_url}/*",
        },
        "secret": secret,
        "defaultClientScopes": ["profile", "email", "roles", "organization"],
        "mappers": _mappers(audience=audience),
    }


def build(
    tenants: list[Any],
    settings: RealmSettings,
    environ: dict[str, str] | None = None,
) -> RealmModel:
    """The desired realm for these (validated) tenants; IdentityConfigError for missing secrets."""
    environ = dict(os.environ) if environ is None else environ
    realm = {
        "realm": settings.realm,
        "displayName": "Region Haldensleben",
        "enabled": True,
        "organizationsEnabled": True,
        "registrationAllowed": True,  # citizens sign up themselves
        "registrationEmailAsUsername": False,
        "resetPasswordAllowed": True,
        "rememberMe": True,
        "loginWithEmailAllowed": True,
        "duplicateEmailsAllowed": False,
        "bruteForceProtected": True,
        "internationalizationEnabled": True,
        "supportedLocales": ["de", "en"],
        "defaultLocale": "de",
        "accessTokenLifespan": 300,
        "ssoSessionIdleTimeout": 1800,
    }
    clients = {
        "hub": _web_client(
            "hub",
            "Regionaler Datenhub",
            base_url=settings.hub_url,
            secret=settings.hub_client_secret,
            callback="/oidc/callback/",
            audience=settings.api_audience,
        ),
        "ckan": _web_client(
            "ckan",
            "Offene Daten (CKAN)",
            base_url=settings.ckan_url,
            secret=settings.ckan_client_secret,
            callback="/user/oidc/callback",
            audience=settings.api_audience,
        ),
        "ogc": {
            "clientId": "ogc",
            "name": "OGC-Dienste",
            "enabled": True,
            "protocol": "openid-connect",
            "publicClient": False,
            "standardFlowEnabled": False,
            "directAccessGrantsEnabled": False,
            "serviceAccountsEnabled": True,
            "secret": settings.ogc_client_secret,
            "mappers": _mappers(audience=settings.api_audience),
        },
        settings.api_audience: {
            # The audience of the hub's API: no flows of its own, only a name in `aud`.
            "clientId": settings.api_audience,
            "name": "API des Datenhubs",
            "enabled": True,
            "protocol": "openid-connect",
            "publicClient": False,
            "standardFlowEnabled": False,
            "directAccessGrantsEnabled": False,
            "serviceAccountsEnabled": False,
            "mappers": [],
        },
    }
    idps: dict[str, dict[str, Any]] = {}
    organizations: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[str]] = {}
    for tenant in sorted(tenants, key=lambda t: t.spec.slug):
        spec = tenant.spec
        groups[spec.slug] = list(ROLES)
        idp_alias = None
        if spec.identity_provider is not None:
            upstream = spec.identity_provider
            idp_alias = upstream.alias
            idps[idp_alias] = _idp(spec.slug, upstream, environ, tenant.file)
        organizations[spec.slug] = {
            "alias": spec.slug,
            "name": spec.name,
            "enabled": True,
            "description": spec.short_name or spec.name,
            "domains": sorted(spec.mail_domains),
            "idp": idp_alias,
        }
    return RealmModel(realm, list(ROLES), groups, clients, idps, organizations)


def _idp(slug: str, upstream: Any, environ: dict[str, str], file: str) -> dict[str, Any]:
    secret = ""
    if upstream.client_secret_env:
        secret = environ.get(upstream.client_secret_env, "")
        if not secret:
            raise IdentityConfigError(
                f"{file}: identity_provider.client_secret_env: the environment variable "
                f"{upstream.client_secret_env} is not set (it holds the client secret at the "
                "upstream directory)"
            )
    config: dict[str, str] = {
        "syncMode": "FORCE",
        "clientAuthMethod": "client_secret_post",
        "pkceEnabled": "true",
        "pkceMethod": "S256",
        "defaultScope": "openid profile email",
        "hub.metadataUrl": str(upstream.metadata_url),
        "hub.secretFingerprint": secret_fingerprint(secret) if secret else "",
    }
    if upstream.client_id:
        config["clientId"] = upstream.client_id
    # Members whose domain is one of the tenant's go straight to their own directory.
    config["kc.org.broker.redirect.mode.email-matches"] = "true"
    if upstream.domains:
        config["kc.org.domain"] = upstream.domains[0]
    return {
        "alias": upstream.alias,
        "displayName": upstream.display_name,
        "providerId": "oidc" if upstream.protocol == "oidc" else "saml",
        "enabled": True,
        "trustEmail": True,
        "storeToken": False,
        "firstBrokerLoginFlowAlias": "first broker login",
        "config": config,
        "secret": secret,
        "mappers": [
            {
                "name": f"{slug} {upstream.default_role}",
                "identityProviderMapper": "oidc-hardcoded-group-idp-mapper"
                if upstream.protocol == "oidc"
                else "saml-hardcoded-group-idp-mapper",
                "config": {
                    "syncMode": "INHERIT",
                    "group": f"/{TENANTS_GROUP}/{slug}/{upstream.default_role}",
                },
            }
        ],
    }
