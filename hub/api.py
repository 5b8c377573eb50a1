# SPDX-License-Identifier: EUPL-1.2
"""The hub's own HTTP API (/api/v1/), described by OpenAPI 3 at /api/v1/openapi.json.

It is made of the routers in the registry. Every error it answers is RFC 9457 problem details
(`application/problem+json`): the hub's own errors (hub.core.errors), ninja's validation of
paths, queries and bodies, unknown paths and refused permissions alike.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from hub.core import errors, guard
from hub.core.registry import registry


class GuardedParser(Parser):
    """Ninja's parser behind the hub's input guard (depth, size, UTF-8, NUL)."""

    def parse_body(self, request):
        return guard.load_json(request.body)

    def parse_querydict(self, data, list_fields, request):
        guard.refuse_nul(data, "the request")
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    parser=GuardedParser(),
    title="Regional Data Hub API",
    version="1",
    description=(
        "Tenants, participation, mobility, sensors and collaboration of the region around "
        "Haldensleben. Errors are RFC 9457 problem details (application/problem+json) with a "
        "machine-readable `code` and, where one field is at fault, `field`."
    ),
    urls_namespace="api",
)
for entry in registry.api_routers:
    api.add_router(entry.prefix, entry.router)


def _validation(request, exc: ValidationError):
    problems = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        problems.append({"field": ".".join(location), "message": item.get("msg", "invalid")})
    first = problems[0] if problems else {"field": "", "message": "invalid request"}
    detail = "; ".join(
        f"{p['field']}: {p['message']}" if p["field"] else p["message"] for p in problems
    )
    return errors.problem(
        request,
        errors.Unprocessable(detail or "invalid request", field=first["field"], errors=problems),
    )


def _http_error(request, exc: HttpError):
    return errors.problem(
        request, errors.HubError(str(exc), status=exc.status_code, code="http_error")
    )


api.add_exception_handler(errors.HubError, errors.problem)
api.add_exception_handler(ValidationError, _validation)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(
    AuthenticationError,
    lambda request, exc: errors.problem(
        request,
        errors.Unauthenticated(
            "send 'Authorization: Bearer <token>' (a token of the region's realm)"
        ),
    ),
)
api.add_exception_handler(
    Http404,
    lambda request, exc: errors.problem(request, errors.NotFound(str(exc) or "not found")),
)
api.add_exception_handler(
    PermissionDenied,
    lambda request, exc: errors.problem(request, errors.Forbidden(str(exc) or "not allowed")),
)
