# SPDX-License-Identifier: EUPL-1.2
"""Sign-in through the region's realm (mozilla-django-oidc, authorization code + PKCE).

Users are found by their Keycloak subject, never by e-mail (an address can change hands), and
their memberships are rewritten from the token at every sign-in and every silent refresh
(through the signal `claims_received`, which tenancy answers: accounts sit below tenancy).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from hub.accounts.models import User
from hub.accounts.signals import claims_received


class KeycloakBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token carries groups and organizations; userinfo may add profile data.
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(keycloak_sub=claims["sub"])

    def create_user(self, claims):
        username = claims.get("preferred_username") or claims["sub"]
        if User.objects.filter(username=username).exists():
            username = f"{username}.{claims['sub'][:8]}"
        user = User.objects.create_user(username, email=claims.get("email", ""))
        user.keycloak_sub = claims["sub"]
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.email = claims.get("email", user.email)
        user.first_name = claims.get("given_name", "")[:150]
        user.last_name = claims.get("family_name", "")[:150]
        user.save()
        # Tenancy rewrites the person's memberships from the claims (hub.tenancy.services).
        claims_received.send(sender=User, user=user, claims=claims)
        return user


def logout_url(request) -> str:
    """End the Keycloak session as well (RP-initiated logout with the ID token as hint)."""
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": f"{settings.HUB_PUBLIC_URL}/",
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
