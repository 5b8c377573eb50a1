# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/me: who the bearer token belongs to, and what it may do where."""

from __future__ import annotations

from ninja import Router, Schema

from hub.accounts.auth import BearerAuth

router = Router(tags=["identity"])


class MembershipOut(Schema):
    tenant: str
    role: str


class MeOut(Schema):
    kind: str
    subject: str
    name: str
    client_id: str
    realm_roles: list[str]
    organizations: list[str]
    memberships: list[MembershipOut]


@router.get(
    "/me",
    response=MeOut,
    auth=BearerAuth(),
    url_name="me",
    summary="The authenticated principal (user or API client) and its memberships",
)
def me(request):
    principal = request.auth
    return {
        "kind": principal.kind,
        "subject": principal.subject,
        "name": principal.name,
        "client_id": principal.client_id,
        "realm_roles": sorted(principal.realm_roles),
        "organizations": sorted(principal.organizations),
        "memberships": [{"tenant": s, "role": r} for s, r in sorted(principal.tenant_roles)],
    }
