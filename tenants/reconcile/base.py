# SPDX-License-Identifier: EUPL-1.2
"""The contract of a reconcile target: plan the change, show it, apply exactly that."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from tenants.spec import DesiredTenant


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any
    # How to show the change when the values are too large to print (geometries).
    summary: str | None = None

    def __str__(self) -> str:
        if self.summary:
            return f"{self.name}: {self.summary}"
        return f"{self.name}: {_short(self.old)} → {_short(self.new)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Change:
    target: str  # "hub", later "keycloak", "ckan", "ogc"
    action: str  # "create" | "update" | "deactivate" | "reactivate"
    slug: str
    fields: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        sign = {"create": "+", "update": "~", "deactivate": "-", "reactivate": "+"}[self.action]
        head = f"{sign} [{self.target}] {self.action} {self.slug}"
        return "\n".join([head, *(f"      {change}" for change in self.fields)])


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    # Values the target needs to apply the plan (e.g. resolved geometries), keyed by slug.
    desired: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def extend(self, other: Diff) -> None:
        self.changes += other.changes
        self.desired.update(other.desired)


class Target(Protocol):
    """One system that tenant onboarding reconciles (hub database, Keycloak, CKAN, OGC)."""

    name: str

    def plan(self, desired: list[DesiredTenant]) -> Diff:
        """Compare the desired tenants with the target's state; change nothing."""

    def apply(self, diff: Diff, *, actor: str) -> None:
        """Carry out exactly the changes of `diff`, idempotently and atomically where possible."""
