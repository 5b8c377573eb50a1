# SPDX-License-Identifier: EUPL-1.2
"""Resolve the tenant of a request from its path and run the request in the user's tenant scope."""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from hub.tenancy.context import _enter
from hub.tenancy.models import Tenant
from hub.tenancy.selectors import scope_for_user

# /t/<slug>/... for pages, /api/v1/t/<slug>/... for the API.
TENANT_PATH = re.compile(r"^/(?:api/v1/)?t/(?P<slug>[a-z0-9-]+)(?:/|$)")


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        match = TENANT_PATH.match(request.path_info)
        if match:
            tenant = Tenant.objects.filter(slug=match["slug"]).first()
            if tenant is None:
                raise Http404(_("Diesen Mandanten gibt es nicht: %(slug)s") % match)
            if not tenant.is_active:
                return render(request, "tenancy/inactive.html", {"tenant": tenant}, status=410)
            request.tenant = tenant
        with _enter(scope_for_user(request.user), "default"):
            return self.get_response(request)
