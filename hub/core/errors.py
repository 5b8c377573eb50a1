# SPDX-License-Identifier: EUPL-1.2
"""The hub's one error family: a status, a machine-readable code, a message a person can act
on, and optionally the field at fault. Raised anywhere; rendered once per surface:

- the API (`/api/v1/`) answers `application/problem+json` (RFC 9457),
- Open311 its error list (JSON and XML), SensorThings its error object, webhooks JSON,
- pages an error page in the person's language.

`ErrorMiddleware` renders the errors of views outside the API, by the surface of the URL's
namespace (hub.core.registry.Urls.surface); each surface registers its renderer here. Errors of
connectors (connectors.base) map onto the family through `from_connector`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from connectors.base import ConnectorError


class HubError(Exception):
    """A request the hub cannot honour, with what the caller can do about it."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str = "",
        code: str = "",
        status: int = 0,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ):
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field
        if code:
            self.code = code  # type: ignore[misc]
        if status:
            self.status = status  # type: ignore[misc]
        self.headers = dict(headers or {})
        # Several problems of one request (a form, a batch): [{"field": ..., "message": ...}].
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.errors:
            body["errors"] = self.errors
        return body


class Invalid(HubError):
    status, code = 400, "invalid"


class Unprocessable(HubError):
    status, code = 422, "invalid"


class Unauthenticated(HubError):
    status, code = 401, "unauthenticated"


class Forbidden(HubError):
    status, code = 403, "forbidden"


class NotFound(HubError):
    status, code = 404, "not_found"


class MethodNotAllowed(HubError):
    status, code = 405, "method_not_allowed"


class Conflict(HubError):
    status, code = 409, "conflict"


class Gone(HubError):
    status, code = 410, "gone"


class TooLarge(HubError):
    status, code = 413, "too_large"


class UnsupportedMedia(HubError):
    status, code = 415, "unsupported_media_type"


class RateLimited(HubError):
    status, code = 429, "rate_limited"

    def __init__(self, limit: int, retry_after: int, *, per: str = "minute"):
        super().__init__(
            f"Too many requests: the limit is {limit} per {per}. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
        self.limit, self.retry_after = limit, retry_after


class Unavailable(HubError):
    status, code = 503, "unavailable"


class BadGateway(HubError):
    status, code = 502, "bad_gateway"


def from_connector(exc: ConnectorError) -> HubError:
    """A connector's failure as the hub answers it (the status the connector family declares)."""
    kind = {
        401: Unauthenticated,
        413: TooLarge,
        422: Unprocessable,
        503: Unavailable,
    }.get(exc.http_status, BadGateway)
    return kind(str(exc), code=exc.code)


# -- rendering ------------------------------------------------------------------------------------

Renderer = Callable[[HttpRequest, HubError], HttpResponse]
_renderers: dict[str, Renderer] = {}


def add_renderer(surface: str, renderer: Renderer) -> None:
    """How a surface answers the hub's errors (registered once, by the app serving it)."""
    if surface in _renderers and _renderers[surface] is not renderer:
        raise ValueError(f"the surface {surface!r} has a renderer already")
    _renderers[surface] = renderer


def with_headers(response: HttpResponse, exc: HubError) -> HttpResponse:
    for name, value in exc.headers.items():
        response[name] = value
    if exc.status == 401 and "WWW-Authenticate" not in response:
        reason = exc.message.replace('"', "'")
        response["WWW-Authenticate"] = (
            f'Bearer realm="hub", error="invalid_token", error_description="{reason}"'
        )
    return response


def problem(request: HttpRequest | None, exc: HubError) -> HttpResponse:
    """RFC 9457 problem details; `code`, `field` and `errors` are extension members."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(exc.status).phrase,
        "status": exc.status,
        "detail": exc.message,
        **{k: v for k, v in exc.as_dict().items() if k != "message"},
    }
    if request is not None:
        body["instance"] = request.path
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=exc.status,
        content_type="application/problem+json",
    )
    return with_headers(response, exc)


def render(request: HttpRequest, exc: HubError, surface: str) -> HttpResponse:
    if surface == "api":
        return problem(request, exc)
    renderer = _renderers.get(surface) or _renderers.get("page") or problem
    return renderer(request, exc)


class ErrorMiddleware:
    """Render a HubError (or a connector's error) raised by a view in its surface's shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):  # Django's and Ninja's bare 405
            allowed = response.get("Allow", "")
            exc = MethodNotAllowed(
                f"this address does not take {request.method}; it takes {allowed}",
                headers={"Allow": allowed},
            )
            return render(request, exc, surface_of(request))
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, ConnectorError):
            exc = from_connector(exc)
        if not isinstance(exc, HubError):
            return None
        return render(request, exc, surface_of(request))


def surface_of(request: HttpRequest) -> str:
    """The surface a request is answered on: its URL's registered surface, the API below
    /api/, else the surface whose prefix the path is under (an unknown address there), else
    a page. Works before the URL was resolved (in a middleware) too."""
    from django.urls import Resolver404, resolve

    from hub.core.registry import API, registry

    if request.path_info.startswith("/api/"):
        return API
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None and match.namespace:
        return registry.surface_of(match.namespace)
    for entry in registry.urls:
        if entry.prefix and request.path_info.lstrip("/").startswith(entry.prefix):
            return entry.surface
    return registry.surface_of(None)
