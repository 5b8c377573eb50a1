# SPDX-License-Identifier: EUPL-1.2
"""The signed-in person's own page: who they are to the hub, and deleting their account."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from keycloak.exceptions import KeycloakError

from hub.accounts import portal as portal_services
from hub.accounts.models import ApiClient
from hub.tenancy.context import system_context
from hub.tenancy.models import Membership
from identity.keycloak import admin_client

log = logging.getLogger(__name__)


@login_required
def account(request):
    with system_context():
        memberships = list(
            Membership.objects.filter(user=request.user)
            .select_related("tenant")
            .order_by("tenant__name", "role")
        )
    return render(request, "accounts/account.html", {"memberships": memberships})


@login_required
@require_POST
def delete_account(request):
    """Delete the person from Keycloak and the hub (GDPR Art. 17). Staff are asked to let their
    tenant remove them, so that no tenant loses its last administrator by accident."""
    user = request.user
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie das Löschen mit dem Häkchen."))
        return redirect("accounts:account")
    with system_context():
        if Membership.objects.filter(user=user).exclude(role="citizen").exists():
            messages.error(
                request,
                _(
                    "Ihr Konto hat Aufgaben in einem Mandanten. Bitte lassen Sie sich dort erst "
                    "austragen; danach können Sie es selbst löschen."
                ),
            )
            return redirect("accounts:account")
    try:
        # The person's API clients go with them: disabled in Keycloak, not just forgotten here.
        for client in user.api_clients.filter(revoked_at=None):
            portal_services.revoke_client(client)
    except KeycloakError as exc:
        log.error("revoking the API clients of %s failed: %s", user.username, exc)
        messages.error(
            request,
            _("Das Löschen ist gerade nicht möglich. Bitte versuchen Sie es später erneut."),
        )
        return redirect("accounts:account")
    if user.keycloak_sub:
        try:
            keycloak = admin_client(settings.HUB_KEYCLOAK["realm"])
            keycloak.delete_user(user.keycloak_sub)
        except KeycloakError as exc:
            if getattr(exc, "response_code", None) != 404:
                log.error("deleting %s in Keycloak failed: %s", user.keycloak_sub, exc)
                messages.error(
                    request,
                    _(
                        "Das Löschen ist gerade nicht möglich. Bitte versuchen "
                        "Sie es später erneut."
                    ),
                )
                return redirect("accounts:account")
    logout(request)
    with system_context():
        user.delete()
    messages.success(request, _("Ihr Konto und Ihre Daten wurden gelöscht."))
    return redirect("/")


def _portal(request, **extra):
    clients = request.user.api_clients.all()
    response = render(
        request,
        "accounts/portal.html",
        {
            "clients": clients,
            "token_url": f"{settings.HUB_OIDC_ISSUER}/protocol/openid-connect/token",
            "api_url": f"{settings.HUB_PUBLIC_URL}/api/v1/",
            **extra,
        },
    )
    # A page that shows a secret must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def portal(request):
    return _portal(request)


@login_required
@require_POST
def register_client(request):
    try:
        client, secret = portal_services.register_client(request.user, request.POST.get("name", ""))
    except portal_services.PortalError as exc:
        return _portal(request, error=exc.reason)
    return _portal(request, shown=client, secret=secret)


def _own_client(request, client_id: str):
    return get_object_or_404(ApiClient, owner=request.user, client_id=client_id)


@login_required
@require_POST
def rotate_client(request, client_id: str):
    client = _own_client(request, client_id)
    try:
        secret = portal_services.rotate_secret(client)
    except portal_services.PortalError as exc:
        return _portal(request, error=exc.reason)
    return _portal(request, shown=client, secret=secret)


@login_required
@require_POST
def revoke_client(request, client_id: str):
    client = _own_client(request, client_id)
    portal_services.revoke_client(client)
    messages.success(request, _("Der API-Client %(name)s ist widerrufen.") % {"name": client.name})
    return redirect("accounts:portal")
