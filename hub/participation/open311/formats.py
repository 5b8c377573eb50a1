# SPDX-License-Identifier: EUPL-1.2
"""GeoReport v2's two formats: the same rows as JSON or as its XML (element names as the spec's
examples), dates as W3C date-times. Pure functions: tested without any service."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

FORMATS = ("json", "xml")

# The element name of one entry of a list, as GeoReport v2's XML names them.
ITEM = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def _element(parent: ET.Element, tag: str, value: Any) -> None:
    """`value` as XML below `parent`: dicts become child elements, lists repeat ITEM[tag]."""
    node = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(node, ITEM.get(tag, "item"), item)
    else:
        node.text = _text(value)


def xml_document(root: str, children: list[tuple[str, Any]]) -> bytes:
    """A GeoReport v2 XML document: `root` holding one element per (tag, value)."""
    top = ET.Element(root)
    for tag, value in children:
        _element(top, tag, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def document(root: str, children: list[tuple[str, Any]], status: int = 200) -> HttpResponse:
    return HttpResponse(
        xml_document(root, children), content_type="text/xml; charset=utf-8", status=status
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def respond(fmt: str, root: str, item: str, rows: list[dict[str, Any]], status=200):
    """A list of rows (services, requests, errors) in the asked format."""
    if fmt == "xml":
        return document(root, [(item, row) for row in rows], status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return dt.datetime.combine(
        value, dt.time(12), tzinfo=timezone.get_current_timezone()
    ).isoformat()
