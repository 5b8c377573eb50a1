# SPDX-License-Identifier: EUPL-1.2
"""The hub's errors as a page, in the person's language, with what they can do next."""

from __future__ import annotations

from django.shortcuts import render

from hub.core.errors import HubError, with_headers


def page(request, exc: HubError):
    response = render(
        request, "error.html", {"error": exc, "status": exc.status}, status=exc.status
    )
    return with_headers(response, exc)
