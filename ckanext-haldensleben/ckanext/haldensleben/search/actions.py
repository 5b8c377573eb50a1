# SPDX-License-Identifier: EUPL-1.2
"""package_search refuses paging it cannot honour (instead of CKAN's silent clamping) and text
no search can contain, as errors both the API (409, field by field) and CKAN's dataset page
(a search error, 400) report to the person who asked."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchQueryError

from ckanext.haldensleben.actions import nul_fields

# Beyond this offset there is nothing to page to: the largest catalogues hold ~10^6 datasets.
MAX_START = 10_000_000


class SearchParameterError(tk.ValidationError, SearchQueryError):
    """A validation error (the API's answer) that CKAN's search views also catch."""


def _natural(data_dict: dict[str, Any], key: str, maximum: int) -> dict[str, list[str]]:
    if key not in data_dict or data_dict[key] in (None, ""):
        return {}
    try:
        value = int(str(data_dict[key]).strip())
    except ValueError:
        return {key: [tk._("Must be a whole number, e.g. {key}=20").format(key=key)]}
    if value < 0:
        return {key: [tk._("Must be 0 or more")]}
    if value > maximum:
        if key == "rows":
            text = tk._("At most {maximum} per page; use start to page through")
        else:
            text = tk._("At most {maximum}")
        return {key: [text.format(maximum=maximum)]}
    return {}


@tk.chained_action
@tk.side_effect_free
def package_search(original, context: dict[str, Any], data_dict: dict[str, Any]):
    rows_max = int(tk.config.get("ckan.search.rows_max"))
    errors = {**_natural(data_dict, "rows", rows_max), **_natural(data_dict, "start", MAX_START)}
    for field in nul_fields(data_dict):
        errors.setdefault(field.split(".")[0], []).append(
            tk._("Contains a NUL character (\\x00), which no search can match")
        )
    if errors:
        raise SearchParameterError(errors)
    return original(context, data_dict)
