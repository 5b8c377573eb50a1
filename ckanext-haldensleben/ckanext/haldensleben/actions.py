# SPDX-License-Identifier: EUPL-1.2
"""Write actions refuse text PostgreSQL cannot store, before CKAN tries (it would answer 500)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

WRITE_ACTIONS = (
    "package_create",
    "package_update",
    "package_patch",
    "resource_create",
    "resource_update",
    "resource_patch",
)


def nul_fields(value: Any, path: str = "") -> list[str]:
    """The dotted names of every string inside `value` that contains a NUL character."""
    if isinstance(value, str):
        return [path or "value"] if "\x00" in value else []
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in nul_fields(v, f"{path}.{k}".lstrip("."))]
    if isinstance(value, list | tuple):
        return [f for i, v in enumerate(value) for f in nul_fields(v, f"{path}.{i}")]
    return []


def _guarded(name: str):
    @tk.chained_action
    def action(original, context: dict[str, Any], data_dict: dict[str, Any]):
        fields = nul_fields({k: v for k, v in data_dict.items() if k != "upload"})
        if fields:
            message = tk._("Contains a NUL character (\\x00), which cannot be stored")
            raise tk.ValidationError({f.split(".")[0]: [f"{f}: {message}"] for f in fields})
        return original(context, data_dict)

    action.__name__ = name
    return action


def get_actions() -> dict[str, Any]:
    return {name: _guarded(name) for name in WRITE_ACTIONS}
