# SPDX-License-Identifier: EUPL-1.2
"""The part of Solr's query syntax that CKAN and its extensions send, translated to SQL.

Grammar (what `q` with fields, `fq`, `fq_list` and delete queries use):

    expr    := clause (("AND" | "OR")? clause)*          -- juxtaposition means AND (q.op=AND)
    clause  := ("+" | "-" | "NOT")? (field ":" value | "(" expr ")")
    value   := quoted | "(" value (("OR" | "AND")? value)* ")" | range | bare
    range   := "[" bound "TO" bound "]"                     -- bound: date, number, "*", "NOW"

A field matches a document if the document's value equals it or, for a list, contains it.
Every value reaches PostgreSQL as a bound parameter; field names are checked against a pattern.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

TOKEN = re.compile(
    r'\s*(?:(?P<quoted>"(?:[^"\\]|\\.)*")|(?P<range>\[[^\]]*\])|(?P<op>[()])'
    r"|(?P<word>[^\s()\"\[\]]+))"
)
FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")
# Fields that are also columns of the index table (single text values), and list fields kept
# as text arrays (connection.py's DDL).
COLUMNS = {
    "id": "id",
    "name": "name",
    "site_id": "site_id",
    "index_id": "index_id",
    "state": "state",
    "dataset_type": "dataset_type",
    "capacity": "capacity",
}
ARRAY_COLUMNS = {"permission_labels": "labels"}
# The facet fields, also kept as "field<US>value" entries of the facets array (GIN-indexed).
FACET_FIELDS = frozenset({"organization", "groups", "tags", "res_format", "license_id"})
NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
DATE_FIELDS = {"metadata_modified", "metadata_created"}


class QuerySyntaxError(ValueError):
    pass


@dataclass
class Sql:
    text: str
    params: list


def tokens(source: str) -> list[str]:
    out, pos = [], 0
    source = source.strip()
    while pos < len(source):
        match = TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise QuerySyntaxError(f"cannot read the query at {source[pos : pos + 20]!r}")
        out.append(match.group().strip())
        pos = match.end()
    return [t for t in out if t]


class Parser:
    def __init__(self, source: str):
        self.items = []
        for token in tokens(source):
            # "field:value" arrives as one word, or as "field:" followed by a quoted/range/group
            if ":" in token and not token.startswith('"') and not token.startswith("["):
                field, _, rest = token.partition(":")
                self.items.append(("FIELD", field))
                if rest:
                    self.items.append(("VALUE", rest))
            else:
                self.items.append(("TOKEN", token))
        self.pos = 0

    def peek(self):
        return self.items[self.pos] if self.pos < len(self.items) else (None, None)

    def take(self):
        item = self.peek()
        self.pos += 1
        return item

    def parse(self) -> Sql:
        sql = self.expr()
        if self.pos != len(self.items):
            raise QuerySyntaxError(f"unexpected {self.peek()[1]!r} in the query")
        return sql

    def expr(self) -> Sql:
        if self.peek()[0] is None:
            raise QuerySyntaxError("the query ends too early")
        parts, joins = [self.clause()], []
        while True:
            kind, value = self.peek()
            if kind is None or (kind == "TOKEN" and value == ")"):
                break
            join = "AND"
            if kind == "TOKEN" and value in ("AND", "OR", "&&", "||"):
                join = "OR" if value in ("OR", "||") else "AND"
                self.take()
            joins.append(join)
            parts.append(self.clause())
        text, params = parts[0].text, list(parts[0].params)
        for join, part in zip(joins, parts[1:], strict=True):
            text = f"({text} {join} {part.text})"
            params += part.params
        return Sql(text, params)

    def clause(self) -> Sql:
        kind, value = self.take()
        negate = False
        if kind == "TOKEN" and value in ("+", "-", "NOT", "!"):
            negate = value != "+"
            kind, value = self.take()
        elif kind == "FIELD" and value[:1] and value[:1] in "+-!":
            negate, value = value[0] != "+", value[1:]
        elif kind == "TOKEN" and value[:1] in "+-" and len(value) > 1:
            negate, value = value[0] == "-", value[1:]
        if kind == "TOKEN" and value == "(":
            inner = self.expr()
            if self.take() != ("TOKEN", ")"):
                raise QuerySyntaxError("a '(' is not closed")
            sql = Sql(f"({inner.text})", inner.params)
        elif kind == "FIELD":
            sql = self.field_value(value)
        elif kind == "TOKEN" and value not in ("(", ")"):
            sql = text_match(unquote(value))
        else:
            raise QuerySyntaxError(f"unexpected {value!r} in the query")
        return Sql(f"NOT {sql.text}", sql.params) if negate else sql

    def field_value(self, field: str) -> Sql:
        if not FIELD.match(field):
            raise QuerySyntaxError(f"{field!r} is not a field name")
        kind, value = self.take()
        if kind == "TOKEN" and value == "(":
            parts, joins = [], []
            while self.peek() != ("TOKEN", ")"):
                kind, value = self.take()
                if kind is None or kind == "FIELD" or value == "(":
                    raise QuerySyntaxError(f"the values of {field!r} are not closed by ')'")
                if kind == "TOKEN" and value in ("OR", "AND", "||", "&&"):
                    joins.append("OR" if value in ("OR", "||") else "AND")
                    continue
                if len(parts) > len(joins):
                    joins.append("OR")  # Solr's default inside a field group here: any
                parts.append(match_value(field, value))
            self.take()
            if not parts or len(joins) != len(parts) - 1:
                raise QuerySyntaxError(f"the values of {field!r} need one value per OR/AND")
            text, params = parts[0].text, list(parts[0].params)
            for join, part in zip(joins, parts[1:], strict=True):
                text = f"({text} {join} {part.text})"
                params += part.params
            return Sql(text, params)
        if kind not in ("VALUE", "TOKEN") or value in ("(", ")"):
            raise QuerySyntaxError(f"no value for {field!r}")
        return match_value(field, value)


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return re.sub(r"\\(.)", r"\1", value)


def column_match(field: str, value: str) -> Sql | None:
    """Fields kept outside the document (connection.py): a plain comparison or an array
    containment, instead of the jsonb index that rechecks every matching document."""
    if field in COLUMNS:
        return Sql(f"({COLUMNS[field]} = %s)", [value])
    if field in ARRAY_COLUMNS:
        return Sql(f"({ARRAY_COLUMNS[field]} @> ARRAY[%s]::text[])", [value])
    if field in FACET_FIELDS and value:
        return Sql("(facets @> ARRAY[%s]::text[])", [f"{field}\x1f{value}"])
    return None


def match_value(field: str, raw: str) -> Sql:
    if raw.startswith("["):
        return match_range(field, raw)
    value = unquote(raw)
    if value == "*":
        return Sql("(doc ? %s)", [field])
    if field == "text":
        return text_match(value)
    column = column_match(field, value)
    if column is not None:
        return column
    # Scalar equal, or list containing: both served by the GIN index on doc, which the planner
    # only uses for a constant jsonb (jsonb_build_object(...) made it scan every row).
    wanted = [{field: value}, {field: [value]}]
    if NUMBER.fullmatch(value):  # num_resources:2 matches the JSON number 2 as well
        wanted.append({field: float(value) if "." in value else int(value)})
    return Sql(
        "(" + " OR ".join(["doc @> %s::jsonb"] * len(wanted)) + ")",
        [json.dumps(w, ensure_ascii=False) for w in wanted],
    )


def _bound(value: str, field: str) -> tuple[str, list]:
    value = value.strip()
    if value == "*":
        return "", []
    if value.upper().startswith("NOW"):
        if value.upper() != "NOW" or not (field in DATE_FIELDS or field.endswith("_date")):
            raise QuerySyntaxError(f"{value!r}: only a date field takes NOW, without date math")
        return "now()", []
    if NUMBER.fullmatch(value) and not (field in DATE_FIELDS or field.endswith("_date")):
        return "%s::numeric", [value]
    if field in DATE_FIELDS or field.endswith("_date"):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise QuerySyntaxError(f"{value!r} is not a date (use 2026-01-31T00:00:00Z)") from exc
        return "%s::timestamptz", [value]
    return "%s", [value]


def match_range(field: str, raw: str) -> Sql:
    inner = raw[1:-1]
    parts = re.split(r"\s+TO\s+", inner.strip())
    if len(parts) != 2:
        raise QuerySyntaxError(f"a range needs 'TO': {raw!r}")
    column = f"{field}" if field in DATE_FIELDS else None
    low, low_params = _bound(parts[0], field)
    high, high_params = _bound(parts[1], field)
    numeric = all(NUMBER.fullmatch(b.strip()) or b.strip() == "*" for b in parts)
    if column is None:
        target, target_params = "(doc->>%s)", [field]
        if field.endswith("_date"):
            target = "((doc->>%s)::timestamptz)"
        elif numeric:  # compared as numbers, not as text ("10" < "2")
            target = "(CASE WHEN jsonb_typeof(doc->%s) = 'number' THEN (doc->>%s)::numeric END)"
            target_params = [field, field]
    else:
        target, target_params = column, []
    conditions, params = (
        ["(doc ? %s)" if column is None else "TRUE"],
        ([field] if column is None else []),
    )
    if low:
        conditions.append(f"{target} >= {low}")
        params += target_params + low_params
    if high:
        conditions.append(f"{target} <= {high}")
        params += target_params + high_params
    return Sql("(" + " AND ".join(conditions) + ")", params)


def text_match(words: str) -> Sql:
    return Sql("(tsv @@ websearch_to_tsquery('german', %s))", [words])


def to_sql(source: str) -> Sql:
    return Parser(source).parse()
