# SPDX-License-Identifier: EUPL-1.2
"""Reconcile the tenant files with the hub's own database (tenants, hierarchy, boundaries)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import MultiPolygon
from django.db import transaction

from hub.tenancy.context import system_context
from hub.tenancy.geometry import same, union
from hub.tenancy.models import RECONCILED_FIELDS as SCALAR_FIELDS
from hub.tenancy.models import Tenant, TenantEvent
from tenants.reconcile.base import Change, Diff, FieldChange
from tenants.spec import DesiredTenant

DERIVED_SOURCE = "Vereinigung der Gebiete der Mitglieder"


def _vertices(geom: MultiPolygon | None) -> int:
    return 0 if geom is None else geom.num_coords


class HubTarget:
    name = "hub"

    def plan(self, desired: list[DesiredTenant]) -> Diff:
        existing = {t.slug: t for t in Tenant.objects.prefetch_related("parents")}
        values = self._desired_values(desired, existing)
        diff = Diff(desired=values)
        for slug, wanted in values.items():
            current = existing.get(slug)
            if current is None:
                diff.changes.append(Change("hub", "create", slug, self._describe(None, wanted)))
                continue
            fields = self._describe(current, wanted)
            if not current.is_active:
                diff.changes.append(Change("hub", "reactivate", slug, fields))
            elif fields:
                diff.changes.append(Change("hub", "update", slug, fields))
        for slug, current in sorted(existing.items()):
            if slug not in values and current.is_active:
                diff.changes.append(
                    Change("hub", "deactivate", slug, (FieldChange("is_active", True, False),))
                )
        return diff

    def _desired_values(
        self, desired: list[DesiredTenant], existing: dict[str, Tenant]
    ) -> dict[str, dict[str, Any]]:
        by_slug = {d.spec.slug: d for d in desired}
        values: dict[str, dict[str, Any]] = {}

        def resolve(slug: str) -> dict[str, Any]:
            # Children first: a network's area is the union of its members' effective areas.
            if slug in values:
                return values[slug]
            tenant = by_slug[slug]
            spec, current = tenant.spec, existing.get(slug)
            boundary, source, scale = tenant.boundary, tenant.boundary_source, tenant.boundary_scale
            finer_in_db = (
                current is not None
                and current.boundary is not None
                and current.boundary_scale is not None
                and scale is not None
                and current.boundary_scale < scale
            )
            if finer_in_db:  # an imported finer boundary (VG250) wins over the YAML's VG5000
                boundary, source, scale = (
                    current.boundary,
                    current.boundary_source,
                    current.boundary_scale,
                )
            elif boundary is None and spec.boundary is None and tenant.children:
                members = [resolve(child) for child in sorted(tenant.children)]
                with_area = [m for m in members if m["boundary"] is not None]
                boundary = union([m["boundary"] for m in with_area])
                source = DERIVED_SOURCE if boundary is not None else ""
                scales = [m["boundary_scale"] for m in with_area if m["boundary_scale"]]
                scale = max(scales) if scales else None
            values[slug] = {
                "name": spec.name,
                "short_name": spec.short_name or "",
                "kind": spec.kind.value,
                "ags": spec.ags,
                "ars": spec.ars,
                "contact": spec.contact.model_dump(mode="json", exclude_none=True),
                "services": [s.value for s in spec.services],
                "mail_domains": list(spec.mail_domains),
                "identity_provider": spec.identity_provider.model_dump(
                    mode="json", exclude_none=True
                )
                if spec.identity_provider
                else None,
                "boundary": boundary,
                "boundary_source": source,
                "boundary_scale": scale,
                "parents": sorted(spec.parents),
            }
            return values[slug]

        for slug in sorted(by_slug):
            resolve(slug)
        return values

    def _describe(self, current: Tenant | None, wanted: dict[str, Any]) -> tuple[FieldChange, ...]:
        changes = []
        for name in SCALAR_FIELDS:
            old = getattr(current, name) if current else None
            if old != wanted[name] and not (current is None and wanted[name] in (None, "", [])):
                changes.append(FieldChange(name, old, wanted[name]))
        old_parents = sorted(p.slug for p in current.parents.all()) if current else []
        if old_parents != wanted["parents"]:
            changes.append(FieldChange("parents", old_parents, wanted["parents"]))
        old_geom = current.boundary if current else None
        if not same(old_geom, wanted["boundary"]):
            changes.append(
                FieldChange(
                    "boundary",
                    None,
                    None,
                    summary=f"{_vertices(old_geom)} → {_vertices(wanted['boundary'])} vertices",
                )
            )
        return tuple(changes)

    def apply(self, diff: Diff, *, actor: str) -> None:
        with system_context(), transaction.atomic():
            tenants = {t.slug: t for t in Tenant.objects.all()}
            touched = []
            for change in diff.changes:
                tenant = tenants.get(change.slug) or Tenant(slug=change.slug)
                if change.action == "deactivate":
                    tenant.is_active = False
                else:
                    wanted = diff.desired[change.slug]
                    for name in (*SCALAR_FIELDS, "boundary"):
                        setattr(tenant, name, wanted[name])
                    tenant.is_active = True
                tenant.save()
                tenants[change.slug] = tenant
                touched.append((change, tenant))
            # Parents only once every tenant of the plan exists.
            for change, tenant in touched:
                if change.action != "deactivate":
                    wanted_parents = diff.desired[change.slug]["parents"]
                    tenant.parents.set([tenants[slug] for slug in wanted_parents])
                TenantEvent.objects.create(
                    tenant=tenant,
                    actor=actor,
                    action=f"reconcile.{change.action}",
                    details={
                        "fields": [{"name": f.name, "summary": str(f)} for f in change.fields]
                    },
                )
