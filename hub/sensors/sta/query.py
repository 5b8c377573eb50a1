# SPDX-License-Identifier: EUPL-1.2
"""The query options of a SensorThings request ($filter, $orderby, $select, $expand, $top,
$skip, $count, $resultFormat), read into `Options`; nested $expand options included."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.core.errors import Invalid

# FROST-Server's defaults (CoreSettings defaultTop, maxTop): a client reads a datastream's
# 10,000 points in one request.
DEFAULT_TOP, MAX_TOP = 100, 10_000
DATA_ARRAY = "dataArray"


def _split(text: str, separator: str) -> list[str]:
    """Split at `separator` outside parentheses and quotes."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == separator and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    if depth != 0 or quoted:
        raise Invalid(f"unbalanced parentheses or quotes in {text[:80]!r}")
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


@dataclass
class Options:
    filter: str = ""
    orderby: str = ""
    select: list[str] | None = None
    expand: dict[str, Options] | None = None
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False
    result_format: str = ""  # "" (standard JSON) or DATA_ARRAY
    raw: dict[str, str] | None = None  # as given: what a next page's link repeats


def _int(value: str, name: str, limit: int) -> int:
    if not value.isdigit():
        raise Invalid(f"{name} must be a whole number ≥ 0, got {value[:20]!r}")
    number = int(value)
    if number > limit:
        raise Invalid(f"{name} is at most {limit}")
    return number


# The entity model is six sets deep at most (Observation → Datastream → Thing → Location …);
# deeper nesting is a mistake or an attack, refused before it costs a recursion.
MAX_EXPAND_DEPTH = 8


def options(raw: dict[str, str], depth: int = 0) -> Options:
    known = {
        "$filter",
        "$orderby",
        "$select",
        "$expand",
        "$top",
        "$skip",
        "$count",
        "$resultFormat",
    }
    unknown = [k for k in raw if k.startswith("$") and k not in known]
    if unknown:
        raise Invalid(f"unknown query option(s) {', '.join(unknown)}")
    result = Options(filter=raw.get("$filter", ""), orderby=raw.get("$orderby", ""), raw=raw)
    if "$top" in raw:
        result.top = _int(raw["$top"], "$top", MAX_TOP)
    if "$skip" in raw:
        result.skip = _int(raw["$skip"], "$skip", 10**9)
    if "$count" in raw:
        if raw["$count"] not in ("true", "false"):
            raise Invalid("$count is true or false")
        result.count = raw["$count"] == "true"
    if "$resultFormat" in raw:
        if raw["$resultFormat"].lower() != DATA_ARRAY.lower():
            raise Invalid(f"$resultFormat: this server offers {DATA_ARRAY} only")
        result.result_format = DATA_ARRAY
    if "$select" in raw:
        result.select = _split(raw["$select"], ",")
    if "$expand" in raw:
        result.expand = {}
        for item in _split(raw["$expand"], ","):
            _expand_item(result.expand, item, depth + 1)
    return result


def _expand_item(into: dict[str, Options], item: str, depth: int) -> None:
    if depth > MAX_EXPAND_DEPTH:
        raise Invalid(f"$expand nests at most {MAX_EXPAND_DEPTH} levels deep")
    match = re.match(r"^([A-Za-z]+)(?:\((.*)\))?(?:/(.+))?$", item, re.DOTALL)
    if not match:
        raise Invalid(f"cannot read $expand item {item[:80]!r}")
    name, inner, rest = match.groups()
    nested = into.get(name)
    if nested is None:
        raw = {}
        for part in _split(inner or "", ";"):
            key, _, value = part.partition("=")
            raw[key.strip()] = value.strip()
        nested = options(raw, depth)
        if nested.result_format:
            raise Invalid("$resultFormat applies to the whole response, not in $expand")
        into[name] = nested
    if rest:
        nested.expand = nested.expand or {}
        _expand_item(nested.expand, rest, depth + 1)
