# SPDX-License-Identifier: EUPL-1.2
"""Reconcile tenants/*.yaml into the hub database: plan shows, apply does, twice is a no-op."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import CommandError, call_command

from hub.tenancy.context import system_context
from hub.tenancy.models import Membership, Tenant, TenantEvent
from tenants import reconcile
from tenants.reconcile.hub import DERIVED_SOURCE
from tenants.spec import TenantsInvalid
from tests.seed import NETWORK_MEMBERS

pytestmark = pytest.mark.django_db
HUB = ["hub"]  # the Keycloak target has tests of its own, in a realm of their own


def test_apply_creates_the_seed_tenants_with_hierarchy(tenant_dir):
    applied = reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    assert applied == 11
    haldensleben = Tenant.objects.get(slug="haldensleben")
    assert haldensleben.name == "Haldensleben, Stadt"
    assert [p.slug for p in haldensleben.parents.all()] == ["landkreis-boerde"]
    barleben = Tenant.objects.get(slug="barleben")
    assert sorted(p.slug for p in barleben.parents.all()) == [
        "energieeffizienznetzwerk-mittelland",
        "landkreis-boerde",
    ]
    network = Tenant.objects.get(slug="energieeffizienznetzwerk-mittelland")
    assert network.children.count() == 6
    # Every tenant's creation is in its audit log.
    with system_context():
        assert TenantEvent.objects.filter(action="reconcile.create").count() == 11


def test_second_apply_reports_zero_changes(tenant_dir):
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    second = reconcile.plan(tenant_dir, only=HUB)
    assert [str(c) for c in second.changes] == []
    assert reconcile.apply(second, actor="test") == 0


def test_plan_changes_nothing(tenant_dir):
    the_plan = reconcile.plan(tenant_dir, only=HUB)
    assert len(the_plan) == 11
    assert Tenant.objects.count() == 0
    with system_context():
        assert TenantEvent.objects.count() == 0


def test_plan_shows_an_edit_as_one_field_change(tenant_dir):
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    path = tenant_dir / "moeser.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["services"] = ["open_data", "sensors", "mobility"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changes = reconcile.plan(tenant_dir, only=HUB).changes
    assert [str(c) for c in changes] == [
        "~ [hub] update moeser\n"
        "      services: ['open_data', 'sensors'] → ['open_data', 'sensors', 'mobility']"
    ]


def test_network_area_is_the_union_of_its_members(seeded):
    network = seeded["energieeffizienznetzwerk-mittelland"]
    assert network.boundary_source == DERIVED_SOURCE
    members = [seeded[slug] for slug in sorted(NETWORK_MEMBERS)]
    members_area = sum(m.boundary.area for m in members)
    assert network.boundary.area == pytest.approx(members_area, rel=1e-6)
    for member in members:
        assert network.boundary.contains(member.boundary.point_on_surface)
    assert not network.boundary.contains(seeded["haldensleben"].boundary.point_on_surface)


def test_removed_file_deactivates_and_keeps_data(tenant_dir, make_user):
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    moeser = Tenant.objects.get(slug="moeser")
    user = make_user("kaemmerer", (moeser, "editor"))
    (tenant_dir / "moeser.yaml").unlink()
    changes = reconcile.plan(tenant_dir, only=HUB).changes
    # The network loses a member, so its area changes too.
    assert [(c.action, c.slug) for c in changes] == [
        ("update", "energieeffizienznetzwerk-mittelland"),
        ("deactivate", "moeser"),
    ]
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    moeser.refresh_from_db()
    assert moeser.is_active is False
    assert moeser.boundary is not None
    with system_context():
        assert Membership.objects.filter(user=user, tenant=moeser).exists()
        assert TenantEvent.objects.filter(tenant=moeser, action="reconcile.deactivate").exists()
    assert reconcile.plan(tenant_dir, only=HUB).changes == []


def test_restored_file_reactivates(tenant_dir, tmp_path):
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    saved = tmp_path / "moeser.yaml"
    (tenant_dir / "moeser.yaml").rename(saved)
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    saved.rename(tenant_dir / "moeser.yaml")
    actions = {(c.action, c.slug) for c in reconcile.plan(tenant_dir, only=HUB).changes}
    assert ("reactivate", "moeser") in actions
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    assert Tenant.objects.get(slug="moeser").is_active


def test_invalid_files_apply_nothing(tenant_dir):
    reconcile.apply(reconcile.plan(tenant_dir, only=HUB), actor="test")
    before = list(Tenant.objects.order_by("slug").values_list("slug", "name", "updated_at"))
    (tenant_dir / "haldensleben.yaml").write_text(
        (tenant_dir / "haldensleben.yaml")
        .read_text("utf-8")
        .replace("short_name: Stadt Haldensleben", "short_name: Hldnslbn")
        + "parents_typo: []\n",
        encoding="utf-8",
    )
    with pytest.raises(TenantsInvalid):
        reconcile.plan(tenant_dir, only=HUB)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("tenants", "apply", "--dir", str(tenant_dir), "--only", "hub")
    after = list(Tenant.objects.order_by("slug").values_list("slug", "name", "updated_at"))
    assert after == before


def test_cli_validate_names_file_field_and_reason(tenant_dir, capsys):
    path = tenant_dir / "barleben.yaml"
    path.write_text(path.read_text("utf-8").replace('ags: "15083040"', ""), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was applied"):
        call_command("tenants", "validate", "--dir", str(tenant_dir))
    assert f"{path}: ags: a municipality needs its 8-digit AGS" in capsys.readouterr().err


def test_cli_plan_then_apply(tenant_dir, capsys):
    call_command("tenants", "plan", "--dir", str(tenant_dir), "--only", "hub")
    out = capsys.readouterr().out
    assert "+ [hub] create haldensleben" in out
    assert "Plan: 11 change(s). Nothing was changed." in out
    assert Tenant.objects.count() == 0
    call_command("tenants", "apply", "--dir", str(tenant_dir), "--only", "hub")
    assert "Applied 11 change(s)" in capsys.readouterr().out
    call_command("tenants", "apply", "--dir", str(tenant_dir), "--only", "hub")
    assert "Applied 0 change(s)" in capsys.readouterr().out


def test_reconcile_task_applies_the_configured_folder(settings, tenant_dir, keycloak_realm):
    from tenants.tasks import reconcile_tenants

    settings.HUB_TENANTS_DIR = tenant_dir
    first = reconcile_tenants()
    # 11 tenants in the hub, and the whole realm (roles, groups, clients, IdP, organizations).
    assert first["problems"] == 0
    assert first["applied"] > 11
    assert reconcile_tenants() == {"applied": 0, "problems": 0}
    (tenant_dir / "bad.yaml").write_text("slug: Bad Slug\n", encoding="utf-8")
    assert reconcile_tenants() == {"applied": 0, "problems": 4}
