# SPDX-License-Identifier: EUPL-1.2
"""The developer portal: a signed-in person registers, rotates and revokes their API clients."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.accounts import clients as client_services
from hub.accounts.models import ApiClient
from hub.core.access import SIGNED_IN, declare
from hub.core.errors import HubError


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


@declare(SIGNED_IN)
@login_required
def portal(request):
    return _portal(request)


@declare(None, SIGNED_IN)
@login_required
@require_POST
def register_client(request):
    try:
        client, secret = client_services.register_client(request.user, request.POST.get("name", ""))
    except HubError as exc:
        return _portal(request, error=exc.message)
    return _portal(request, shown=client, secret=secret)


def _own_client(request, client_id: str):
    return get_object_or_404(ApiClient, owner=request.user, client_id=client_id)


@declare(None, SIGNED_IN, holder_param="client_id")
@login_required
@require_POST
def rotate_client(request, client_id: str):
    client = _own_client(request, client_id)
    try:
        secret = client_services.rotate_secret(client)
    except HubError as exc:
        return _portal(request, error=exc.message)
    return _portal(request, shown=client, secret=secret)


@declare(None, SIGNED_IN, holder_param="client_id")
@login_required
@require_POST
def revoke_client(request, client_id: str):
    client = _own_client(request, client_id)
    client_services.revoke_client(client)
    messages.success(request, _("Der API-Client %(name)s ist widerrufen.") % {"name": client.name})
    return redirect("accounts:portal")
