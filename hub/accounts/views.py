# SPDX-License-Identifier: EUPL-1.2
"""The signed-in person's own page: who they are to the hub, and deleting their account."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from keycloak.exceptions import KeycloakError

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
