# SPDX-License-Identifier: EUPL-1.2
"""Reconcile tenants/*.yaml with every target system.

`plan()` validates the files and asks each target for its diff; `apply()` carries a plan out.
Targets: the hub's database, Keycloak, CKAN and the OGC server (MapServer or GeoServer).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from tenants.reconcile.base import Change, Diff, Target
from tenants.reconcile.hub import HubTarget
from tenants.register import load_register
from tenants.spec import DesiredTenant, load_tenants

__all__ = ["Change", "Diff", "Plan", "Target", "apply", "desired_tenants", "plan", "targets"]


TARGET_NAMES = ("hub", "keycloak", "ckan", "ogc")


def targets(only: Iterable[str] | None = None) -> list[Target]:
    """The reconcile targets, in order; `only` picks some by name."""
    from tenants.reconcile.ckan import CkanTarget
    from tenants.reconcile.keycloak import KeycloakTarget
    from tenants.reconcile.ogc import OgcTarget

    chosen = set(TARGET_NAMES if only is None else only)
    unknown = chosen - set(TARGET_NAMES)
    if unknown:
        raise ValueError(f"unknown target(s) {sorted(unknown)}; known: {', '.join(TARGET_NAMES)}")
    every = (HubTarget(), KeycloakTarget(), CkanTarget(), OgcTarget())
    return [t for t in every if t.name in chosen]


def desired_tenants(folder: Path | None = None) -> list[DesiredTenant]:
    """Validated tenants of the folder (default HUB_TENANTS_DIR); raises TenantsInvalid."""
    return load_tenants(
        Path(folder or settings.HUB_TENANTS_DIR), load_register(Path(settings.HUB_DATA_DIR))
    )


class Plan:
    def __init__(self, diffs: list[tuple[Target, Diff]]):
        self.diffs = diffs

    @property
    def changes(self) -> list[Change]:
        return [change for _, diff in self.diffs for change in diff.changes]

    def __len__(self) -> int:
        return len(self.changes)


def plan(folder: Path | None = None, *, only: Iterable[str] | None = None) -> Plan:
    desired = desired_tenants(folder)
    return Plan([(target, target.plan(desired)) for target in targets(only)])


def apply(the_plan: Plan, *, actor: str) -> int:
    """Carry out a plan; returns the number of changes made."""
    for target, diff in the_plan.diffs:
        if diff:
            target.apply(diff, actor=actor)
    return len(the_plan)
