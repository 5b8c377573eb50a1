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


PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, as every error of this API is answered",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "what is wrong, for a person to act on"},
        "code": {"type": "string", "description": "machine-readable, e.g. not_found"},
        "field": {"type": "string", "description": "the one parameter or field at fault"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
# Which errors an operation can answer, by what it has: every one refuses bad input (400, the
# input guard) and a client over its rate (429); parameters or a body can fail validation (422);
# a body can be too large (413); a path parameter can name nothing (404); a secured one can be
# asked without a valid token (401) or by someone without the role (403).
ERRORS = {
    "400": "the request cannot be read (encoding, NUL, nesting, a value out of range)",
    "401": "no valid Bearer token of the region's realm",
    "403": "the token's holder has no role that allows this",
    "404": "the tenant or entity named in the path does not exist (or is not yours to see)",
    "413": "the body is too large",
    "422": "a parameter or field does not match the schema",
    "429": "too many requests; Retry-After says when to come back",
}


def _errors_of(path: str, operation: dict) -> list[str]:
    codes = ["400", "429"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("422")
    if operation.get("requestBody"):
        codes.append("413")
    if "{" in path:
        codes.append("404")
    if operation.get("security"):
        codes += ["401", "403"]
    return sorted(codes)


class HubAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the problem+json errors of each operation."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
        content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code in _errors_of(path, operation):
                    responses.setdefault(code, {"description": ERRORS[code], "content": content})
        return schema


api = HubAPI(
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
