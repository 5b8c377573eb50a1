# SPDX-License-Identifier: EUPL-1.2
"""Refuse requests that carry a NUL character in the path, the query or a text body: no CKAN
view can use one, and several (package_show?id=%00, /dataset/%00) would answer 500."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from flask import Response, request

TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")
ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
MAX_CHECKED_BODY = 1024 * 1024


def _has_nul() -> bool:
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.query_string):
        return True
    kind = request.content_type or ""
    length = request.content_length or 0
    if kind.startswith(TEXT_BODIES) and 0 < length <= MAX_CHECKED_BODY:
        body = request.get_data(cache=True)
        return b"\x00" in unquote_to_bytes(body) or ESCAPED_NUL.search(body) is not None
    return False


def refuse_nul_requests() -> Response | None:
    if not _has_nul():
        return None
    message = "The request contains a NUL character (\\x00), which CKAN cannot process."
    if request.path.startswith("/api/"):
        body = {"success": False, "error": {"__type": "Validation Error", "message": message}}
        return Response(json.dumps(body), status=400, mimetype="application/json")
    return Response(message, status=400, mimetype="text/plain")
