# SPDX-License-Identifier: EUPL-1.2
"""What a token of the region's realm says about a person's roles in tenants.

Shared by the hub and CKAN (no Django here). Roles in a tenant are the groups
`/tenants/<slug>/<role>`; staff roles count only for members of the tenant's organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from identity.realm import ROLES, TENANTS_GROUP

# A person put into a staff role group by mistake is not staff until the tenant's organization
# has them as a member.
STAFF_ROLES = frozenset({"editor", "moderator", "tenant-admin"})


@dataclass(frozen=True)
class ClaimedRoles:
    tenant_roles: frozenset[tuple[str, str]]  # (tenant slug, role)
    organizations: frozenset[str]
    realm_roles: frozenset[str]
    ignored: tuple[str, ...] = ()


def organizations_of(claims: dict) -> frozenset[str]:
    """Keycloak writes `organization` as a list of aliases, or a map alias -> attributes."""
    value = claims.get("organization") or []
    if isinstance(value, dict):
        return frozenset(value)
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(v for v in value if isinstance(v, str))


def roles_from_claims(claims: dict) -> ClaimedRoles:
    organizations = organizations_of(claims)
    pairs, ignored = set(), []
    for path in claims.get("groups") or []:
        parts = str(path).strip("/").split("/")
        if len(parts) != 3 or parts[0] != TENANTS_GROUP or parts[2] not in ROLES:
            continue
        slug, role = parts[1], parts[2]
        if role in STAFF_ROLES and slug not in organizations:
            ignored.append(f"{path}: not a member of organization {slug!r}")
            continue
        pairs.add((slug, role))
    realm_roles = frozenset((claims.get("realm_access") or {}).get("roles") or []) & set(ROLES)
    return ClaimedRoles(frozenset(pairs), organizations, realm_roles, tuple(ignored))
