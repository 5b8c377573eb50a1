# SPDX-License-Identifier: EUPL-1.2
"""The SensorThings API v1.1 (sensing part): reading with $filter, $expand, $select, $orderby,
$top, $skip and $count; creating (POST), changing (PATCH) and deleting (DELETE) every entity
(`hub.sensors.sta.write`).

    /sta/v1.1/                  every tenant's public things, and the caller's own
    /t/<slug>/sta/v1.1/         one tenant's; creating needs a role on it

Reading needs no account for public things (open data); a Bearer token of the hub (a person or
an API client) also shows its tenants' private things. Writing needs a Bearer token with the
role editor, developer, tenant-admin or region-admin on the entity's tenant. Errors are answered as
SensorThings servers do (`render_error`): {"code", "type": "error", "message"}.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hub.accounts.auth import BearerAuth
from hub.core import access
from hub.core.errors import HubError, Invalid, MethodNotAllowed, NotFound, with_headers
from hub.core.registry import registry
from hub.sensors.sta.entities import RESULT
from hub.sensors.sta.filter import FilterError
from hub.sensors.sta.query import DATA_ARRAY, options
from hub.sensors.sta.read import Reader, _plain, _root, _walk
from hub.sensors.sta.write import WRITERS, create, delete, update
from hub.tenancy.context import system_context
from hub.tenancy.models import CASCADING_ROLES, Tenant
from hub.tenancy.selectors import descendants

READERS = "sensor-readers"  # the role set (hub.sensors.apps)


def render_error(request: HttpRequest, exc: HubError) -> HttpResponse:
    """A SensorThings error body, as FROST-Server answers: code, type and message."""
    response = JsonResponse(
        {"code": exc.status, "type": "error", "message": exc.message}, status=exc.status
    )
    return with_headers(response, exc)


@dataclass
class Caller:
    """Who reads: the tenants whose private things they may see, and their principal."""

    tenants: frozenset[int]  # whose private things it may read
    principal: Any = None


def _caller(request: HttpRequest) -> Caller:
    if not request.headers.get("Authorization"):
        return Caller(frozenset())
    principal = BearerAuth()(request)  # Unauthenticated for a bad token: no silent fallback
    # Private things are for the tenant's staff (and developers), never for its citizens; a
    # cascading role reaches the tenants below.
    readers = registry.role_set(READERS)
    direct = {slug for slug, role in principal.tenant_roles if role in readers}
    down = {slug for slug, role in principal.tenant_roles if role in CASCADING_ROLES}
    ids = dict(Tenant.objects.filter(slug__in=direct | down).values_list("slug", "pk"))
    visible = {ids[s] for s in direct if s in ids} | descendants(ids[s] for s in down if s in ids)
    return Caller(frozenset(visible), principal)


@access.declare(access.PUBLIC, access.roles(WRITERS), write_methods=("POST", "PATCH", "DELETE"))
@csrf_exempt
def sta(request: HttpRequest, path: str, slug: str | None = None) -> HttpResponse:
    try:
        return _handle(request, path, slug)
    except (FilterError, FieldError, FieldDoesNotExist, ValueError, ValidationError) as exc:
        if isinstance(exc, HubError):
            raise
        raise Invalid(str(exc)) from None


def _handle(request: HttpRequest, path: str, slug: str | None) -> HttpResponse:
    tenant = request.tenant if slug else None
    base = request.build_absolute_uri(f"/t/{slug}/sta/v1.1/" if slug else "/sta/v1.1/")
    caller = _caller(request)
    reader = Reader(request, base, caller, tenant)
    writes = {"POST": create, "PATCH": update, "DELETE": delete}
    if request.method in writes:
        return writes[request.method](request, reader, path)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed("this API reads (GET), creates (POST), changes (PATCH), deletes")
    opts = options(dict(request.GET.items()))
    segments = [s for s in path.split("/") if s]
    ref = bool(segments) and segments[-1] == "$ref"  # links only (§9.2.4 of the standard)
    if ref:
        if opts.expand or opts.select:
            raise Invalid("$ref gives the links only: it takes neither $expand nor $select")
        path, opts.select = "/".join(segments[:-1]), ["selfLink"]
    with system_context():  # visibility is the readable() of each entity set
        entity, target, kind = _walk(reader, path)
        if kind == "root" or (ref and kind == "property"):
            if ref:
                raise NotFound(
                    "$ref follows an entity set or an entity, e.g. Things(1)/Datastreams/$ref"
                )
            return JsonResponse(_root(base))
        if opts.result_format and (kind != "collection" or entity.name != "Observations"):
            raise Invalid(f"$resultFormat={DATA_ARRAY} is for collections of Observations")
        if opts.result_format and opts.expand:
            raise Invalid(f"$resultFormat={DATA_ARRAY} does not combine with $expand")
        if kind == "collection":
            link = request.build_absolute_uri(request.path)
            body = reader.collection(entity, target, opts, link)
        elif kind == "entity":
            body = reader.entity(entity, target, opts)
        else:
            row, name, raw = target
            value = RESULT(row) if name == "result" else getattr(row, entity.fields[name])
            value = entity.render.get(name, _plain)(value)
            if raw:  # $value: a text as it is; anything else (an object, null) as JSON
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                return HttpResponse(text, content_type="text/plain; charset=utf-8")
            body = {name: value}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
