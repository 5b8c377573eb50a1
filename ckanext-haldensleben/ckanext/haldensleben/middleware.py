# SPDX-License-Identifier: EUPL-1.2
"""What CKAN cannot take is refused before any view sees it, and every answer carries the
security headers.

- A NUL character in the path, the query or a text body: no CKAN view can use one, and several
  (package_show?id=%00, /dataset/%00) would answer 500.
- A JSON body nested deeper than MAX_JSON_DEPTH: CKAN's json.loads would end in a
  RecursionError (a 500). Counted without recursion, brackets inside strings left out.
- Headers: no framing, no type sniffing, no referrer to other sites, no device access, and a
  Content-Security-Policy that runs scripts only from CKAN's own files: the templates that
  had inline handlers are overridden (templates/, assets/handlers.js). Styles keep
  'unsafe-inline': CKAN's and its plugins' templates set style attributes (see
  docs/dev/security-headers.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Response, request

TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")
ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
MAX_CHECKED_BODY = 1024 * 1024
MAX_JSON_DEPTH = 32
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def json_depth(body: bytes) -> int:
    """How deep a JSON text nests (as hub.core.guard.json_depth: CKAN runs in its own venv)."""
    bare = _STRING.sub(b"", _ESCAPE.sub(b"", body)).translate(None, _BRACKETS)
    depth = deepest = 0
    for byte in bare:
        if byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_nul() -> bool:
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.query_string):
        return True
    kind = request.content_type or ""
    length = request.content_length or 0
    if kind.startswith(TEXT_BODIES) and 0 < length <= MAX_CHECKED_BODY:
        body = request.get_data(cache=True)
        return b"\x00" in unquote_to_bytes(body) or ESCAPED_NUL.search(body) is not None
    return False


def _too_deep() -> bool:
    kind = request.content_type or ""
    length = request.content_length or 0
    if kind.startswith("application/json") and 0 < length <= MAX_CHECKED_BODY:
        return json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH
    return False


def _refuse(message: str) -> Response:
    if request.path.startswith("/api/"):
        body = {"success": False, "error": {"__type": "Validation Error", "message": message}}
        return Response(json.dumps(body), status=400, mimetype="application/json")
    return Response(message, status=400, mimetype="text/plain")


def refuse_unusable_requests() -> Response | None:
    if _has_nul():
        return _refuse("The request contains a NUL character (\\x00), which CKAN cannot process.")
    if _too_deep():
        return _refuse(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.")
    return None


def content_security_policy(hub_url: str) -> str:
    """Scripts only from CKAN's own files; images also from the hub (the tenants' emblems)."""
    parts = urlsplit(hub_url)
    hub = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            # CKAN's and its plugins' templates (activity, scheming) and scripts set style
            # attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {hub}".rstrip(),
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
        )
    )


def security_headers(hub_url: str) -> Callable[[Response], Response]:
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": content_security_policy(hub_url)}

    def add(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    return add
