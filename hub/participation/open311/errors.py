# SPDX-License-Identifier: EUPL-1.2
"""How Open311 answers the hub's errors, and the decorator of its endpoints."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from hub.core.access import PUBLIC, Access
from hub.core.errors import HubError, MethodNotAllowed, NotFound, with_headers
from hub.participation.open311.formats import FORMATS, respond


def render_error(request: HttpRequest, exc: HubError) -> HttpResponse:
    """The hub's errors as GeoReport v2 answers them: a list of {code, description}, in the
    format of the URL's suffix (JSON when the suffix is unknown)."""
    match = getattr(request, "resolver_match", None)
    fmt = match.kwargs.get("fmt") if match else None
    row = {"code": exc.status, "description": str(exc)}
    response = respond(fmt if fmt in FORMATS else "json", "errors", "error", [row], exc.status)
    return with_headers(response, exc)


READ_ONLY = Access(PUBLIC)


def endpoint(*methods: str, access: Access = READ_ONLY) -> Callable:
    """An Open311 view: the format from the suffix, the methods it takes, who may use it.
    Errors it raises are answered by `render_error` (hub.core.errors.ErrorMiddleware)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs):
            if fmt not in FORMATS:
                raise NotFound(f"unknown format {fmt!r}; use .json or .xml")
            if request.method not in methods:
                raise MethodNotAllowed(
                    f"{request.method} is not allowed here; use {' or '.join(methods)}",
                    headers={"Allow": ", ".join(methods)},
                )
            return view(request, fmt, **kwargs)

        wrapper.hub_access = access
        return csrf_exempt(wrapper)

    return decorate
