# SPDX-License-Identifier: EUPL-1.2
"""SensorThings `$filter` parsing (STA v1.1 §9.3.3.5) into Django Q objects, without a database."""

from __future__ import annotations

import pytest
from django.db.models import Q

from hub.sensors.sta.filter import MAX_DEPTH, MAX_LENGTH, FilterError, parse

FIELDS = {
    "name": "name",
    "result": "result",
    "phenomenonTime": "phenomenon_time",
    "Datastream/Thing/name": "datastream__thing__name",
    "id": "id",
}


def resolve(path: str) -> str:
    try:
        return FIELDS[path]
    except KeyError:
        raise FilterError(f"$filter: unknown property {path!r}") from None


def test_comparison_becomes_a_lookup():
    assert parse("result gt 20", resolve) == Q(result__gt=20)


def test_ne_is_a_negated_exact_that_leaves_out_missing_values():
    assert parse("name ne 'a'", resolve) == ~Q(name__exact="a") & Q(name__isnull=False)
    assert parse("name ne null", resolve) == ~Q(name__isnull=True)


def test_and_or_not_keep_their_precedence():
    q = parse("result gt 1 or result lt 0 and not name eq 'x'", resolve)
    assert q == Q(result__gt=1) | (Q(result__lt=0) & ~Q(name__exact="x"))


def test_navigation_path_becomes_a_join():
    assert parse("Datastream/Thing/name eq 'Rathaus'", resolve) == Q(
        datastream__thing__name__exact="Rathaus"
    )


def test_quotes_are_doubled_inside_strings():
    assert parse("name eq 'O''Brien'", resolve) == Q(name__exact="O'Brien")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("result gt", "ends too early"),
        ("result gt 1 1", "unexpected '1'"),
        ("name eq 'a", "cannot read"),
        ("unknown eq 1", "unknown property"),
        ("x" * (MAX_LENGTH + 1), "longer than"),
        ("(" * (MAX_DEPTH + 5) + "result gt 1" + ")" * (MAX_DEPTH + 5), "deep"),
    ],
)
def test_bad_filters_are_refused_with_a_reason(text, message):
    with pytest.raises(FilterError, match=message) as caught:
        parse(text, resolve)
    assert caught.value.status == 400
