# SPDX-License-Identifier: EUPL-1.2
"""GeoReport v2's XML writer: element names as the specification's examples, escaping, and the
same rows as JSON."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

from hub.participation.open311 import formats


def test_service_list_as_in_the_specification():
    body = formats.xml_document(
        "services",
        [("service", {"service_code": "001", "service_name": "Schlagloch", "metadata": False})],
    )
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(body)
    assert root.tag == "services"
    service = root.find("service")
    assert service.findtext("service_code") == "001"
    assert service.findtext("metadata") == "false"


def test_lists_repeat_the_named_item():
    body = formats.xml_document(
        "discovery", [("endpoints", [{"url": "a"}, {"url": "b"}]), ("formats", ["text/xml"])]
    )
    root = ET.fromstring(body)
    assert [e.findtext("url") for e in root.find("endpoints").findall("endpoint")] == ["a", "b"]
    assert root.find("formats").findtext("format") == "text/xml"


def test_markup_in_text_is_escaped_not_interpreted():
    body = formats.xml_document("errors", [("error", {"description": "<b>&</b>"})])
    assert b"<b>" not in body
    assert ET.fromstring(body).find("error").findtext("description") == "<b>&</b>"


def test_none_is_an_empty_element():
    root = ET.fromstring(formats.xml_document("requests", [("request", {"media_url": None})]))
    assert root.find("request").find("media_url").text is None


def test_json_and_xml_carry_the_same_rows():
    rows = [{"code": 400, "description": "lat: fehlt"}]
    as_json = formats.respond("json", "errors", "error", rows, status=400)
    as_xml = formats.respond("xml", "errors", "error", rows, status=400)
    assert as_json.status_code == as_xml.status_code == 400
    assert json.loads(as_json.content) == rows
    error = ET.fromstring(as_xml.content).find("error")
    assert {"code": int(error.findtext("code")), "description": error.findtext("description")} == (
        rows[0]
    )


def test_dates_are_w3c_date_times_with_offset():
    when = dt.datetime(2026, 6, 16, 8, 30, tzinfo=dt.UTC)
    text = formats.iso(when)
    assert dt.datetime.fromisoformat(text) == when
    assert text.endswith("+02:00") or text.endswith("+00:00") or text.endswith("Z")
