# SPDX-License-Identifier: EUPL-1.2
"""CKAN's Solr query syntax translated to SQL (ckanext-haldensleben search/syntax.py), without
PostgreSQL: the SQL text and that every value is a bound parameter."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SOURCE = (
    Path(__file__).resolve().parents[2]
    / "ckanext-haldensleben/ckanext/haldensleben/search/syntax.py"
)
# The module is pure Python; CKAN itself lives in its own virtualenv, so load the file directly.
_spec = importlib.util.spec_from_file_location("ckan_search_syntax", SOURCE)
syntax = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = syntax  # dataclasses look their module up
_spec.loader.exec_module(syntax)


def test_column_field_is_a_plain_comparison():
    sql = syntax.to_sql("name:bus-stops")
    assert sql.text == "(name = %s)"
    assert sql.params == ["bus-stops"]


def test_facet_field_uses_the_facet_array():
    sql = syntax.to_sql('tags:"Öffentlicher Verkehr"')
    assert sql.text == "(facets @> ARRAY[%s]::text[])"
    assert sql.params == ["tags\x1fÖffentlicher Verkehr"]


def test_juxtaposition_means_and_and_minus_negates():
    sql = syntax.to_sql("organization:haldensleben -res_format:PDF")
    assert " AND " in sql.text
    assert "NOT" in sql.text
    assert sql.params == ["organization\x1fhaldensleben", "res_format\x1fPDF"]


def test_a_hostile_value_stays_a_parameter():
    sql = syntax.to_sql("""name:"x'); DROP TABLE package; --\"""")
    assert "DROP" not in sql.text
    assert any("DROP TABLE" in str(p) for p in sql.params)


def test_date_range_is_typed():
    sql = syntax.to_sql("metadata_modified:[2026-01-01T00:00:00Z TO NOW]")
    assert "now()" in sql.text
    assert "2026-01-01T00:00:00Z" in sql.params


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(name:a", "is not closed"),
        ("metadata_modified:[yesterday TO NOW]", "not a date"),
        ("metadata_modified:[NOW-1DAY TO *]", "without date math"),
        ("num_resources:[1 2]", "needs 'TO'"),
    ],
)
def test_bad_queries_are_refused_with_a_reason(query, message):
    with pytest.raises(syntax.QuerySyntaxError, match=message):
        syntax.to_sql(query)
