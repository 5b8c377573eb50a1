# SPDX-License-Identifier: EUPL-1.2
"""Reconcile the tenant files with the OGC server: one workspace (a set of services) per tenant
with an area, holding every layer the apps register (hub.core.registry.OgcLayer).

MapServer in the local stack, GeoServer in production (HUB_OGC_PUBLISHER); both behind
hub.geo.publishers.Publisher. A tenant whose file is gone loses its services, never its data.
"""

from __future__ import annotations

from hub.geo.publishers import Publisher, publisher, workspace
from tenants.reconcile.base import Change, Diff, FieldChange
from tenants.spec import DesiredTenant


class OgcTarget:
    name = "ogc"

    def __init__(self, server: Publisher | None = None):
        self._server = server

    @property
    def server(self) -> Publisher:
        if self._server is None:
            self._server = publisher()
        return self._server

    def plan(self, desired: list[DesiredTenant]) -> Diff:
        # The area the hub holds for each tenant: a network's is the union of its members', an
        # imported finer boundary wins over the file's (the hub target's own rules).
        from hub.tenancy.models import Tenant
        from tenants.reconcile.hub import HubTarget

        existing = {t.slug: t for t in Tenant.objects.prefetch_related("parents")}
        values = HubTarget()._desired_values(desired, existing)
        wanted = {
            slug: workspace(slug, value["name"], value["boundary"])
            for slug, value in values.items()
            if value["boundary"] is not None
        }
        current = self.server.published()
        diff = Diff(desired={"ogc": wanted})
        for slug, space in sorted(wanted.items()):
            if slug not in current:
                diff.changes.append(Change("ogc", "create", f"workspace {slug}"))
            elif current[slug] != self.server.expected(space):
                summary = FieldChange("services", None, None, summary="layers or area changed")
                diff.changes.append(Change("ogc", "update", f"workspace {slug}", (summary,)))
        for slug in sorted(set(current) - set(wanted)):
            diff.changes.append(Change("ogc", "deactivate", f"workspace {slug}"))
        return diff

    def apply(self, diff: Diff, *, actor: str) -> None:
        wanted = diff.desired["ogc"]
        for change in diff.changes:
            slug = change.slug.removeprefix("workspace ")
            if change.action == "deactivate":
                self.server.withdraw(slug)
            else:
                self.server.publish(wanted[slug])
