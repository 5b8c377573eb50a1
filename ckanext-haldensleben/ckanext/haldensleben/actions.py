# SPDX-License-Identifier: EUPL-1.2
"""Guards in front of CKAN's write actions.

- Text PostgreSQL cannot store (NUL) is refused before CKAN tries (it would answer 500).
- The extras the hub writes into an organization (its official key, kind, parents and hub
  link) are the hub's: an organization admin cannot change them, so nobody can hang their
  organization under another or point its "more in the hub" link elsewhere.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.haldensleben.hierarchy import PROTECTED_EXTRAS

WRITE_ACTIONS = (
    "package_create",
    "package_update",
    "package_patch",
    "resource_create",
    "resource_update",
    "resource_patch",
    "organization_create",
    "organization_update",
    "organization_patch",
    "group_create",
    "group_update",
    "group_patch",
    "user_create",
    "user_update",
    "user_patch",
)
ORGANIZATION_WRITES = ("organization_create", "organization_update", "organization_patch")


def nul_fields(value: Any, path: str = "") -> list[str]:
    """The dotted names of every string inside `value` that contains a NUL character."""
    if isinstance(value, str):
        return [path or "value"] if "\x00" in value else []
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in nul_fields(v, f"{path}.{k}".lstrip("."))]
    if isinstance(value, list | tuple):
        return [f for i, v in enumerate(value) for f in nul_fields(v, f"{path}.{i}")]
    return []


def refuse_nul(data_dict: dict[str, Any]) -> None:
    fields = nul_fields({k: v for k, v in data_dict.items() if k != "upload"})
    if fields:
        message = tk._("Contains a NUL character (\\x00), which cannot be stored")
        errors: dict[str, list[str]] = {}
        for field in fields:
            errors.setdefault(field.split(".")[0], []).append(f"{field}: {message}")
        raise tk.ValidationError(errors)


def _protected_changes(context: dict[str, Any], data_dict: dict[str, Any]) -> list[str]:
    extras = data_dict.get("extras")
    if not isinstance(extras, list):
        return []
    wanted = {e.get("key"): e.get("value") for e in extras if isinstance(e, dict)}
    current: dict[str, str] = {}
    org_id = data_dict.get("id") or data_dict.get("name")
    if org_id:
        org = context["model"].Group.get(str(org_id)) if "model" in context else None
        current = dict(org.extras or {}) if org is not None else {}
    return [key for key in PROTECTED_EXTRAS if key in wanted and wanted[key] != current.get(key)]


def _guarded(name: str):
    @tk.chained_action
    def action(original, context: dict[str, Any], data_dict: dict[str, Any]):
        refuse_nul(data_dict)
        if name in ORGANIZATION_WRITES and not authz.is_sysadmin(context.get("user")):
            changed = _protected_changes(context, data_dict)
            if changed:
                raise tk.ValidationError(
                    {
                        "extras": [
                            tk._("Only the data hub sets these fields: {fields}").format(
                                fields=", ".join(changed)
                            )
                        ]
                    }
                )
        return original(context, data_dict)

    action.__name__ = name
    return action


def get_actions() -> dict[str, Any]:
    return {name: _guarded(name) for name in WRITE_ACTIONS}
