# SPDX-License-Identifier: EUPL-1.2
"""SensorThings `$filter` (OData 4 subset, STA v1.1 §9.3.3.5) → Django ORM expressions.

A small recursive-descent parser: `or` < `and` < `not` < comparison < additive <
multiplicative < unary < primary. Properties are resolved through the entity set's field map
(hub.sensors.sta.entities), navigation paths (`Datastream/Thing/name`) become ORM joins.
Anything it does not know is a `FilterError` naming the position, never a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import Length as GeoLength
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db.models import (
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import (
    Cast,
    Ceil,
    Coalesce,
    Collate,
    Concat,
    ExtractDay,
    ExtractHour,
    ExtractMinute,
    ExtractMonth,
    ExtractSecond,
    ExtractYear,
    Floor,
    Length,
    Lower,
    Round,
    StrIndex,
    Substr,
    Trim,
    Upper,
)

from hub.core.errors import Invalid

MAX_LENGTH = 4000
MAX_DEPTH = 40

TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<geo>geography'(?:[^']|'')*')
    | (?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>(?:@iot\.id|[A-Za-z_][A-Za-z0-9_.]*)(?:/(?:@iot\.id|[A-Za-z_][A-Za-z0-9_]*))*)
    | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)
COMPARISON = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
ARITHMETIC = {"add": "+", "sub": "-", "mul": "*", "div": "/", "mod": "%"}


class FilterError(Invalid):
    """A $filter that cannot be used; the message says where and why."""

    code = "filter_invalid"


class NestedTooDeeply(FilterError):
    """Not a reason to try the parentheses as an arithmetic term instead."""


@dataclass
class Token:
    kind: str
    text: str
    at: int


def tokens(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise FilterError(f"$filter is longer than {MAX_LENGTH} characters")
    out, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = TOKEN.match(text, at)
        if not match or match.end() == at:
            raise FilterError(f"$filter: cannot read {text[at : at + 20]!r} at position {at}")
        kind = match.lastgroup or ""
        out.append(Token(kind, match.group(kind), match.start(kind)))
        at = match.end()
    return out


class Parser:
    """Parses one $filter for one entity set; `resolve(path)` names the ORM field of a path."""

    def __init__(self, text: str, resolve: Callable[[str], str]):
        self.tokens = tokens(text)
        self.i = 0
        self.resolve = resolve
        self.depth = 0

    # -- helpers ----------------------------------------------------------------------------

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise FilterError("$filter ends too early")
        self.i += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise FilterError(
                f"$filter: expected {text!r} at position {token.at}, got {token.text!r}"
            )

    def word(self, *words: str) -> str | None:
        token = self.peek()
        if token and token.kind == "name" and token.text in words:
            self.i += 1
            return token.text
        return None

    # -- grammar ----------------------------------------------------------------------------

    def parse(self) -> Q:
        result = self.boolean()
        if self.peek() is not None:
            token = self.peek()
            raise FilterError(f"$filter: unexpected {token.text!r} at position {token.at}")
        return result

    def boolean(self) -> Q:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise NestedTooDeeply(f"$filter is nested too deeply (at most {MAX_DEPTH} levels)")
            left = self.conjunction()
            while self.word("or"):
                left = left | self.conjunction()
            return left
        finally:
            self.depth -= 1

    def conjunction(self) -> Q:
        left = self.negation()
        while self.word("and"):
            left = left & self.negation()
        return left

    def negation(self) -> Q:
        if self.word("not"):
            return ~self.negation()
        return self.comparison()

    def comparison(self) -> Q:
        left = self.additive()
        operator = self.word(*COMPARISON)
        if operator is None:
            if isinstance(left, Q):
                return left
            if isinstance(left, BoolExpression):
                return Q(left.expression)
            raise FilterError("$filter: a condition needs a comparison (eq, ne, gt, ge, lt, le)")
        right = self.additive()
        return compare(left, operator, right)

    def additive(self) -> Any:
        left = self.multiplicative()
        while operator := self.word("add", "sub"):
            left = arithmetic(left, operator, self.multiplicative())
        return left

    def multiplicative(self) -> Any:
        left = self.unary()
        while operator := self.word("mul", "div", "mod"):
            left = arithmetic(left, operator, self.unary())
        return left

    def unary(self) -> Any:
        return self.primary()

    def primary(self) -> Any:  # noqa: PLR0911 - one return per kind of term
        token = self.take()
        if token.text == "(":
            inner = self.boolean_or_value()
            self.expect(")")
            return inner
        if token.kind == "string":
            return Literal(token.text[1:-1].replace("''", "'"))
        if token.kind == "number":
            return Literal(
                float(token.text) if re.search(r"[.eE]", token.text) else int(token.text)
            )
        if token.kind == "time":
            return Literal(dt.datetime.fromisoformat(token.text.replace("Z", "+00:00")))
        if token.kind == "geo":
            try:
                return Literal(GEOSGeometry(token.text[10:-1].replace("''", "'"), srid=4326))
            except (GEOSException, ValueError):
                raise FilterError(f"$filter: not a WKT geometry at position {token.at}") from None
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Literal(token.text == "true")
            if token.text == "null":
                return Literal(None)
            nxt = self.peek()
            if nxt is not None and nxt.text == "(":
                return self.function(token)
            return Field(self.resolve(token.text), token.text)
        raise FilterError(f"$filter: unexpected {token.text!r} at position {token.at}")

    def boolean_or_value(self) -> Any:
        """Inside parentheses: a whole condition or an arithmetic term."""
        start = self.i
        try:
            return self.boolean()
        except NestedTooDeeply:
            raise
        except FilterError:
            self.i = start
            return self.additive()

    def arguments(self) -> list[Any]:
        self.expect("(")
        args = []
        if self.peek() and self.peek().text == ")":
            self.take()
            return args
        while True:
            args.append(self.additive())
            token = self.take()
            if token.text == ")":
                return args
            if token.text != ",":
                raise FilterError(f"$filter: expected ',' or ')' at position {token.at}")

    def function(self, name: Token) -> Any:
        args = self.arguments()
        spec = FUNCTIONS.get(name.text.lower())
        if spec is None:
            raise FilterError(f"$filter: unknown function {name.text!r} at position {name.at}")
        count, build = spec
        if len(args) != count:
            raise FilterError(f"$filter: {name.text}() takes {count} argument(s), got {len(args)}")
        return build(*args)


# -- terms --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any

    def expression(self):
        return Value(self.value)


@dataclass(frozen=True)
class Field:
    path: str
    name: str

    def expression(self):
        return F(self.path)


@dataclass(frozen=True)
class Computed:
    expr: Any

    def expression(self):
        return self.expr


@dataclass(frozen=True)
class BoolExpression:
    expression: Any


def _expr(term: Any):
    if isinstance(term, Literal | Field | Computed):
        return term.expression()
    raise FilterError("$filter: a condition cannot be used as a value")


def _result_text(field: Field) -> Any:
    """An Observation's result as the text it is served as: a number as PostgreSQL writes a
    double (10, 2.5: as the JSON), any other result as its JSON text (a string unquoted)."""
    json_path = field.path[: -len("result")] + "result_json"
    number = Cast(F(field.path), TextField())
    other = Func(F(json_path), template="(%(expressions)s #>> '{}')", output_field=TextField())
    return Collate(Coalesce(number, other), "C")  # code-point order, as a Java String compares


def _is_result(term: Any) -> bool:
    return isinstance(term, Field) and term.name.rsplit("/", 1)[-1] == "result"


def compare(left: Any, operator: str, right: Any) -> Q:
    lookup = COMPARISON[operator]
    if isinstance(right, Field) and not isinstance(left, Field):  # 5 lt result → result gt 5
        left, right = right, left
        lookup = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}.get(lookup, lookup)
    if _is_result(left) and isinstance(right, Literal) and isinstance(right.value, str):
        # A result compared with a text compares as text (OData: the literal's type decides),
        # as FROST-Server does: result gt '3' holds for 4…9, not for 10.
        left, right = Computed(_result_text(left)), Literal(right.value)
    if isinstance(left, Field):
        if isinstance(right, Literal) and right.value is None:
            condition = Q(**{f"{left.path}__isnull": True})
            return ~condition if operator == "ne" else condition
        value = right.value if isinstance(right, Literal) else _expr(right)
        condition = Q(**{f"{left.path}__{lookup}": value})
        if operator == "ne":  # as in SQL (and FROST-Server): a missing value is not unequal
            return ~condition & Q(**{f"{left.path}__isnull": False})
        return condition
    # Two computed terms: compare them in SQL.
    from django.db.models import lookups

    classes = {
        "exact": lookups.Exact,
        "gt": lookups.GreaterThan,
        "gte": lookups.GreaterThanOrEqual,
        "lt": lookups.LessThan,
        "lte": lookups.LessThanOrEqual,
    }
    condition = Q(classes[lookup](_expr(left), _expr(right)))
    return ~condition if operator == "ne" else condition


def arithmetic(left: Any, operator: str, right: Any) -> Computed:
    a, b = _expr(left), _expr(right)
    symbol = ARITHMETIC[operator]
    if symbol == "%":
        combined = Func(a, b, function="MOD")
    else:
        combined = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[symbol]
    return Computed(ExpressionWrapper(combined, output_field=FloatField()))


def _text(build):
    return lambda *args: Computed(build(*[_expr(a) for a in args]))


def _utc(extract):
    """Parts of a time in UTC (the times are stored in UTC; the hub's zone must not leak in)."""
    return lambda arg: Computed(extract(_expr(arg), tzinfo=dt.UTC))


def _contains(kind: str):
    def build(*args):
        if kind == "substringof":
            needle, haystack = args
        else:
            haystack, needle = args
        if not isinstance(haystack, Field) or not isinstance(needle, Literal):
            raise FilterError(f"$filter: {kind}() needs a property and a text")
        lookup = {"substringof": "contains", "contains": "contains"}.get(kind, kind)
        return Q(**{f"{haystack.path}__{lookup}": needle.value})

    return build


def _spatial(lookup: str):
    def build(field, geometry):
        if not isinstance(field, Field) or not isinstance(geometry, Literal):
            raise FilterError(f"$filter: {lookup} needs a property and a geography'...' literal")
        return Q(**{f"{field.path}__{lookup}": geometry.value})

    return build


def _distance(field, geometry):
    """In the units of the CRS (degrees for EPSG:4326), as the standard says."""
    if not isinstance(field, Field) or not isinstance(geometry, Literal):
        raise FilterError("$filter: geo.distance needs a property and a geography'...' literal")
    other = Value(geometry.value, output_field=GeometryField(srid=4326))
    return Computed(Func(F(field.path), other, function="ST_Distance", output_field=FloatField()))


FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "substringof": (2, _contains("substringof")),
    "contains": (2, _contains("contains")),
    "startswith": (2, _contains("startswith")),
    "endswith": (2, _contains("endswith")),
    "length": (1, _text(Length)),
    "tolower": (1, _text(Lower)),
    "toupper": (1, _text(Upper)),
    "trim": (1, _text(Trim)),
    "indexof": (2, lambda a, b: Computed(StrIndex(_expr(a), _expr(b)) - 1)),
    "substring": (2, lambda a, b: Computed(Substr(_expr(a), _expr(b) + 1))),
    "concat": (2, _text(Concat)),
    "year": (1, _utc(ExtractYear)),
    "month": (1, _utc(ExtractMonth)),
    "day": (1, _utc(ExtractDay)),
    "hour": (1, _utc(ExtractHour)),
    "minute": (1, _utc(ExtractMinute)),
    "second": (1, _utc(ExtractSecond)),
    "round": (1, _text(Round)),
    "floor": (1, _text(Floor)),
    "ceiling": (1, _text(Ceil)),
    "geo.intersects": (2, _spatial("intersects")),
    "st_intersects": (2, _spatial("intersects")),
    "st_within": (2, _spatial("within")),
    "st_contains": (2, _spatial("contains")),
    "st_disjoint": (2, _spatial("disjoint")),
    "st_touches": (2, _spatial("touches")),
    "st_overlaps": (2, _spatial("overlaps")),
    "st_crosses": (2, _spatial("crosses")),
    "st_equals": (2, _spatial("equals")),
    "geo.distance": (2, _distance),
    "geo.length": (1, lambda a: Computed(GeoLength(_expr(a)))),
}


def parse(text: str, resolve: Callable[[str], str]) -> Q:
    return Parser(text, resolve).parse()
