# SPDX-License-Identifier: EUPL-1.2
"""Django's error handlers, answered in the one error family: problem details on the API and
the standard surfaces' shapes, the error page on pages."""

from __future__ import annotations

from hub.core import errors


def _answer(request, exc: errors.HubError):
    return errors.render(request, exc, errors.surface_of(request))


def bad_request(request, exception=None):
    return _answer(request, errors.Invalid("the request could not be read"))


def permission_denied(request, exception=None):
    return _answer(request, errors.Forbidden(str(exception or "") or "not allowed"))


def page_not_found(request, exception=None):
    return _answer(request, errors.NotFound("there is no page at this address"))


def server_error(request):
    exc = errors.HubError(
        "something went wrong on our side; please try again later", status=500, code="server_error"
    )
    try:
        return _answer(request, exc)
    except Exception:  # the error page itself failed: answer plainly, never raise again
        from django.http import HttpResponseServerError

        return HttpResponseServerError("Internal Server Error", content_type="text/plain")
