# SPDX-License-Identifier: EUPL-1.2
"""Silent renewal of Keycloak sign-ins, and only of those."""

from django.contrib.auth import BACKEND_SESSION_KEY
from mozilla_django_oidc.middleware import SessionRefresh

KEYCLOAK_BACKEND = "hub.accounts.oidc.KeycloakBackend"


class KeycloakSessionRefresh(SessionRefresh):
    """Re-read a person's roles from Keycloak when their ID token is due (prompt=none).

    The operators' local admin accounts (ModelBackend) have no Keycloak session to renew and
    must not be sent to Keycloak.
    """

    def is_refreshable_url(self, request):
        return request.session.get(
            BACKEND_SESSION_KEY
        ) == KEYCLOAK_BACKEND and super().is_refreshable_url(request)
