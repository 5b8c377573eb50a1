# SPDX-License-Identifier: EUPL-1.2
"""package_search refuses paging it cannot honour, instead of CKAN's silent clamping."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _natural(data_dict: dict[str, Any], key: str, maximum: int | None) -> dict[str, list[str]]:
    if key not in data_dict or data_dict[key] in (None, ""):
        return {}
    try:
        value = int(str(data_dict[key]).strip())
    except ValueError:
        return {key: [tk._("Must be a whole number, e.g. {key}=20").format(key=key)]}
    if value < 0:
        return {key: [tk._("Must be 0 or more")]}
    if maximum is not None and value > maximum:
        return {
            key: [
                tk._("At most {maximum} per page; use start to page through").format(
                    maximum=maximum
                )
            ]
        }
    return {}


@tk.chained_action
@tk.side_effect_free
def package_search(original, context: dict[str, Any], data_dict: dict[str, Any]):
    rows_max = tk.config.get("ckan.search.rows_max")
    errors = {
        **_natural(data_dict, "rows", int(rows_max)),
        **_natural(data_dict, "start", None),
    }
    for key in ("q", "fq", "fq_list", "sort", "fl", "facet.field"):
        value = data_dict.get(key)
        if value and "\x00" in str(value):
            errors[key] = [tk._("Contains a NUL character (\\x00), which no search can match")]
    if errors:
        raise tk.ValidationError(errors)
    return original(context, data_dict)
