# SPDX-License-Identifier: EUPL-1.2
"""The sensor page of a tenant: each public datastream's latest value, as a table, with the
links developers need (SensorThings, CSV, JSON)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hub.core.access import public
from hub.sensors.api import latest
from hub.sensors.models import SensorNetwork
from hub.tenancy.context import tenant_context


@public
def latest_page(request, slug: str):
    tenant = request.tenant
    if "sensors" not in (tenant.services or []):
        raise Http404(_("Dieser Mandant betreibt kein Sensornetz im Datenhub."))
    with tenant_context([tenant.pk]):
        has_network = SensorNetwork.objects.filter(tenant=tenant).exists()
    rows = latest(tenant)
    for row in rows:
        row["when"] = parse_datetime(row["time"]) if row["time"] else None
    return render(
        request,
        "sensors/latest.html",
        {"tenant": tenant, "rows": rows, "has_network": has_network},
    )
