# SPDX-License-Identifier: EUPL-1.2
"""The input guard (hub.core.guard) and the SensorThings $expand depth, without a service."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.http import QueryDict

from hub.core import errors, guard
from hub.sensors.sta.query import MAX_EXPAND_DEPTH, options


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": [2]}]}', 4),
        ('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 1),  # brackets in a string
        ('["\\"[[[[", "\\\\", [[]]]', 3),  # escaped quotes and backslashes
    ],
)
def test_json_depth_counts_arrays_and_objects_outside_strings(text, depth):
    assert guard.json_depth(text.encode()) == depth


def test_a_deep_document_is_refused_before_json_sees_it():
    bomb = b"[" * 100_000 + b"]" * 100_000  # json.loads would end in a RecursionError
    with pytest.raises(errors.Invalid, match="nests deeper than 32") as caught:
        guard.load_json(bomb)
    assert caught.value.code == "nested_too_deeply"
    deep_but_fine = json.dumps(json.loads("[" * 32 + "]" * 32)).encode()
    assert guard.load_json(deep_but_fine) is not None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"name": "a\\u0000b"}', "nul_byte"),
        (b'{"name": "a\\U0000b"}', "nul_byte"),
        (b'{"name": "\xff"}', "not_utf8"),
        (b'{"name": ', "not_json"),
        (b"", "not_json"),
    ],
)
def test_bodies_no_view_can_take_are_refused_with_a_reason(body, code):
    with pytest.raises(errors.Invalid) as caught:
        guard.load_json(body)
    assert caught.value.code == code
    assert caught.value.status == 400


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul():
    assert guard.load_json(b'{"path": "C:\\\\u0000"}') == {"path": "C:\\u0000"}


def test_a_body_over_the_limit_is_too_large():
    with pytest.raises(errors.TooLarge):
        guard.load_json(b"[1]" + b" " * 100, limit=50)


@pytest.mark.parametrize(
    "raw",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:59+01:00",
        "2200-01-01T00:00:00Z",
    ],
)
def test_dates_outside_the_years_the_hub_deals_in_are_refused(raw):
    with pytest.raises(errors.Invalid, match="between 1900 and 2200"):
        guard.parse_datetime(raw, "start_date")


@pytest.mark.parametrize("raw", ["2026-13-45T00:00:00Z", "gestern", "2026-11-01T25:00:00Z", ""])
def test_impossible_dates_are_refused_with_an_example(raw):
    with pytest.raises(errors.Invalid, match=r"e\.g\. 2026-11-01T00:00:00Z") as caught:
        guard.parse_datetime(raw, "end_date")
    assert caught.value.field == "end_date"


def test_a_date_with_an_unescaped_plus_is_read():
    value = guard.parse_datetime("2026-06-16T08:00:00 02:00", "start_date")
    assert value == dt.datetime(2026, 6, 16, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("path", "query", "problem"),
    [
        ("/t/haldensleben/", "", ""),
        ("/t/halden\x00sleben/", "", "NUL byte"),
        ("/open311/v2/requests.json", "service_code=a%00b", "NUL byte"),
        ("/t/✓/", "", ""),  # the path as Django decoded it
        ("/t/%E4/", "", ""),  # bytes that are not UTF-8, put back by Django: no route matches
        ("/sta/v1.1/Things", "%24filter=name%20eq%20%27%FF%27", "query string is not UTF-8"),
        ("/sta/v1.1/Things", "%24filter=name%20eq%20%27%C3%BC%27", ""),
    ],
)
def test_addresses_no_view_can_take(path, query, problem):
    found = guard._address_problem(path, query)
    assert (problem in found) if problem else found == ""


def test_form_fields_with_a_nul_are_refused_by_name():
    guard.refuse_nul(QueryDict("description=Schlagloch&lat=52.3"))
    with pytest.raises(errors.Invalid, match="'description'") as caught:
        guard.refuse_nul(QueryDict("lat=52.3&description=Schlag%00loch"))
    assert caught.value.field == "description"


def test_expand_nests_only_as_deep_as_the_entity_model():
    within = "/".join(["Datastream", "Thing", "Locations", "Things", "Datastreams", "Sensor"])
    assert options({"$expand": within}).expand
    nested = "Datastream($expand=" * (MAX_EXPAND_DEPTH + 1) + "Thing" + ")" * (MAX_EXPAND_DEPTH + 1)
    with pytest.raises(errors.Invalid, match=f"at most {MAX_EXPAND_DEPTH} levels"):
        options({"$expand": nested})
    with pytest.raises(errors.Invalid, match=f"at most {MAX_EXPAND_DEPTH} levels"):
        options({"$expand": "/".join(["Datastream"] * 5000)})
