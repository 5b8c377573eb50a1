# SPDX-License-Identifier: EUPL-1.2
"""Resolve the tenant of a request from its path and run the request in the user's tenant scope."""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from hub.core import errors
from hub.tenancy.context import scope_context
from hub.tenancy.models import Tenant
from hub.tenancy.selectors import scope_for_user

# /t/<slug>/... for pages, /api/v1/t/<slug>/... for the API.
# Any segment is matched, so that a malformed slug gets the same clear 404 as an unknown one.
TENANT_PATH = re.compile(r"^/(?P<api>api/v1/)?t/(?P<slug>[^/]+)(?:/|$)")


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        match = TENANT_PATH.match(request.path_info)
        if match:
            tenant = Tenant.objects.filter(slug=match["slug"]).first()
            if tenant is None or not tenant.is_active:
                return self._refuse(request, match, tenant)
            request.tenant = tenant
        with scope_context(scope_for_user(request.user)):
            return self.get_response(request)

    def _refuse(self, request, match, tenant):
        """404 for an unknown tenant, 410 for a deactivated one, in the shape of the surface
        asked (problem details on the API, Open311's list, SensorThings' error object, a page)."""
        status = 404 if tenant is None else 410
        if tenant is None:
            message = _("Diesen Mandanten gibt es nicht: %(slug)s") % {"slug": match["slug"]}
        else:
            message = _("Dieser Mandant ist nicht mehr aktiv: %(slug)s") % {"slug": tenant.slug}
        surface = errors.surface_of(request)
        if surface != "page":
            kind = errors.NotFound if tenant is None else errors.Gone
            return errors.render(request, kind(message, code=f"tenant_{kind.code}"), surface)
        if tenant is None:
            raise Http404(message)
        return render(request, "tenancy/inactive.html", {"tenant": tenant}, status=status)
