# SPDX-License-Identifier: EUPL-1.2
"""One input guard for every surface: what no view of the hub can take is refused at the edge,
in the error shape of the surface asked, before any parser or the database sees it.

- `InputGuard` (middleware): a path or query string that is not UTF-8 or holds a NUL byte
  (PostgreSQL cannot store one in text: it would end in a 500), and a JSON body announced
  larger than `MAX_JSON_BODY`. It reads no body, so a view still checks who is asking before
  it reads one.
- `load_json()`: the one way a view reads a JSON body: UTF-8, at most `MAX_JSON_DEPTH` levels
  deep (checked without recursion before `json.loads`, whose C parser would end in a
  RecursionError), no NUL in any string.
- `parse_datetime()`: a date-time from a query or body, within the years the hub deals in, so
  that arithmetic on it (a window, a default end) cannot overflow.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from django.utils import dateparse, timezone

from hub.core import errors

MAX_JSON_DEPTH = 32
MAX_JSON_BODY = 16 * 1024 * 1024
EARLIEST, LATEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
JSON_TYPES = ("application/json", "application/geo+json", "application/merge-patch+json")

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")  # every byte but the brackets
_NUL_ESCAPE = re.compile(rb"\\u0000", re.IGNORECASE)
# An escaped backslash ("\\\\u0000" is the text \u0000, not a NUL): drop those pairs first.
_ESCAPE_PAIRS = re.compile(rb"\\\\")


def json_depth(body: bytes) -> int:
    """How deep a JSON text nests its arrays and objects (brackets inside strings not counted);
    iterative, so a hostile document costs time linear in its size and no stack."""
    bare = _STRING.sub(b"", _ESCAPE.sub(b"", body)).translate(None, _BRACKETS)
    depth = deepest = 0
    for byte in bare:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_json(body: bytes, *, what: str = "the body", limit: int = MAX_JSON_BODY) -> Any:
    """A JSON body, or an `Invalid`/`TooLarge` saying what is wrong with it."""
    if len(body) > limit:
        raise errors.TooLarge(f"{what} is larger than {limit:,} bytes", code="body_too_large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.Invalid(f"{what} is not UTF-8 (byte {exc.start})", code="not_utf8") from None
    if "\x00" in text or _NUL_ESCAPE.search(_ESCAPE_PAIRS.sub(b"", body)):
        raise errors.Invalid(f"{what} holds a NUL character (\\u0000)", code="nul_byte")
    if json_depth(body) > MAX_JSON_DEPTH:
        raise errors.Invalid(
            f"{what} nests deeper than {MAX_JSON_DEPTH} levels", code="nested_too_deeply"
        )
    try:
        return json.loads(text)
    except ValueError as exc:
        raise errors.Invalid(f"{what} is not JSON: {exc}", code="not_json") from None


def parse_datetime(raw: str, name: str) -> dt.datetime:
    """An ISO 8601 / W3C date-time (a space standing for '+', as in an unescaped query), aware,
    between 1900 and 2200."""
    example = "2026-11-01T00:00:00Z"
    try:
        value = dateparse.parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:  # well-formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise errors.Invalid(f"{name} must be a W3C date-time, e.g. {example}", field=name)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        inside = EARLIEST <= value < LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise errors.Invalid(
            f"{name} must lie between {EARLIEST.year} and {LATEST.year}", field=name
        )
    return value


def refuse_nul(data, what: str = "the form") -> None:
    """Refuse form fields (a QueryDict) holding a NUL character: PostgreSQL stores none."""
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise errors.Invalid(
                f"{key.replace(chr(0), '')!r} in {what} holds a NUL character", field=key
            )


def _address_problem(path: str, query: str) -> str:
    """What is wrong with a request's path (as Django decoded it: UTF-8, with bytes that are not
    UTF-8 put back as %XX, which then match no route) and raw query string, or ''."""
    try:
        query_bytes = unquote_to_bytes(query.replace("+", " ")) if query else b""
    except UnicodeEncodeError:
        return "the address's query string cannot be read"
    if "\x00" in path or b"\x00" in query_bytes:
        return "the address holds a NUL byte (%00), which no name or filter can contain"
    try:
        query_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return "the address's query string is not UTF-8 (percent-encode UTF-8 bytes)"
    return ""


class InputGuard:
    """Refuse what no view can take before any view (or parser) sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _address_problem(request.path_info, request.META.get("QUERY_STRING", ""))
        exc: errors.HubError | None = None
        if problem:
            exc = errors.Invalid(problem, code="bad_address")
        elif request.content_type in JSON_TYPES:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_JSON_BODY:
                exc = errors.TooLarge(
                    f"the body is larger than {MAX_JSON_BODY:,} bytes", code="body_too_large"
                )
        if exc is not None:
            return errors.render(request, exc, errors.surface_of(request))
        return self.get_response(request)


class PermissionsPolicy:
    """The Permissions-Policy header (settings.HUB_PERMISSIONS_POLICY) on every answer."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.HUB_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
