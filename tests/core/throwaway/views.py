# SPDX-License-Identifier: EUPL-1.2
"""A public page, a staff page with the tenant's private audit log, and the sample: an audit
entry only the tenant's staff may read."""

from __future__ import annotations

import uuid

from django.http import HttpResponse

from hub.core import access
from hub.core.registry import Sample
from hub.tenancy.context import tenant_context
from hub.tenancy.models import TenantEvent
from hub.tenancy.permissions import page_access

# The test flips this to show that the matrix catches a page that forgot its check.
LEAKY = {"on": False}


@page_access(access.PUBLIC)
def page(request, slug):
    if LEAKY["on"]:
        with tenant_context([request.tenant.pk]):
            return HttpResponse(" ".join(e.action for e in TenantEvent.objects.all()))
    return HttpResponse(f"Wegwerfdienst von {request.tenant.display_name}")


@page_access(access.roles("throwaway-staff"))
def staff_page(request, slug):
    with tenant_context([request.tenant.pk]):
        return HttpResponse(" ".join(e.action for e in TenantEvent.objects.all()))


def sample(tenant) -> Sample:
    marker = f"wegwerf-{uuid.uuid4().hex[:8]}"
    with tenant_context([tenant.pk]):
        TenantEvent.objects.create(tenant=tenant, actor="test", action=marker)
    return Sample(kwargs={}, marker=marker)
