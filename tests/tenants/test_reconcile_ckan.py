# SPDX-License-Identifier: EUPL-1.2
"""Tenants → CKAN organizations, against the running CKAN (organizations under a test prefix)."""

from __future__ import annotations

import contextlib
import uuid

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN
from django.conf import settings as django_settings

from tenants import reconcile
from tests.conftest import SEED_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
CKAN_ONLY = ["ckan"]
SEED_SLUGS = [p.stem for p in SEED_DIR.glob("*.yaml")]


@pytest.fixture
def prefix(settings):
    """Organizations of this test only; purged afterwards, so that no later reconcile of the
    stack's own tenants finds them."""
    settings.HUB_CKAN_ORG_PREFIX = f"t{uuid.uuid4().hex[:6]}-"
    yield settings.HUB_CKAN_ORG_PREFIX
    client = ckan()
    for slug in SEED_SLUGS:
        with contextlib.suppress(NotFound):
            client.action.organization_purge(id=f"{settings.HUB_CKAN_ORG_PREFIX}{slug}")


def ckan() -> RemoteCKAN:
    return RemoteCKAN(django_settings.HUB_CKAN_URL, apikey=django_settings.HUB_CKAN_API_TOKEN)


def test_tenants_become_organizations_and_a_second_apply_changes_nothing(tenant_dir, prefix):
    first = reconcile.plan(tenant_dir, only=CKAN_ONLY)
    assert len(first) == 11
    assert reconcile.apply(first, actor="test") == 11
    assert reconcile.plan(tenant_dir, only=CKAN_ONLY).changes == []
    org = ckan().action.organization_show(id=f"{prefix}vg-flechtingen", include_extras=True)
    extras = {e["key"]: e["value"] for e in org["extras"]}
    assert org["title"] == "Verbandsgemeinde Flechtingen"
    assert extras["ars"] == "150835052"
    assert extras["kind"] == "association"
    # The hierarchy: the Verbandsgemeinde sits below the district and the network.
    assert extras["parents"] == (
        f"{prefix}energieeffizienznetzwerk-mittelland,{prefix}landkreis-boerde"
    )


def test_removed_tenant_hides_its_organization_and_keeps_its_datasets(tenant_dir, prefix):
    reconcile.apply(reconcile.plan(tenant_dir, only=CKAN_ONLY), actor="test")
    client = ckan()
    dataset = f"{prefix}moeser-daten"
    client.action.package_create(
        name=dataset,
        owner_org=f"{prefix}moeser",
        title="Möser",
        notes="Ein Datensatz der Gemeinde.",
        license_id="dl-zero-de/2.0",
    )
    (tenant_dir / "moeser.yaml").unlink()
    changes = [str(c) for c in reconcile.plan(tenant_dir, only=CKAN_ONLY).changes]
    assert changes == [
        f"- [ckan] deactivate organization {prefix}moeser\n      state: 'active' → 'deleted'"
    ]
    reconcile.apply(reconcile.plan(tenant_dir, only=CKAN_ONLY), actor="test")
    assert f"{prefix}moeser" not in client.action.organization_list()
    assert client.action.package_show(id=dataset)["state"] == "active"
    assert reconcile.plan(tenant_dir, only=CKAN_ONLY).changes == []
    client.action.dataset_purge(id=dataset)


def test_an_edited_tenant_updates_its_organization(tenant_dir, prefix):
    reconcile.apply(reconcile.plan(tenant_dir, only=CKAN_ONLY), actor="test")
    path = tenant_dir / "barleben.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "short_name: Gemeinde Barleben", "short_name: Barleben (Börde)"
        ),
        "utf-8",
    )
    changes = [str(c) for c in reconcile.plan(tenant_dir, only=CKAN_ONLY).changes]
    assert changes == [
        f"~ [ckan] update organization {prefix}barleben\n"
        "      title: 'Gemeinde Barleben' → 'Barleben (Börde)'"
    ]


def test_the_organization_shows_the_tenants_logo_or_its_emblem(tenant_dir, prefix):
    reconcile.apply(reconcile.plan(tenant_dir, only=CKAN_ONLY), actor="test")
    org = ckan().action.organization_show(id=f"{prefix}barleben")
    assert org["image_url"] == "http://localhost:8000/t/barleben/emblem.svg"
    path = tenant_dir / "barleben.yaml"
    path.write_text(path.read_text("utf-8") + "logo: https://www.barleben.de/wappen.svg\n", "utf-8")
    changes = [str(c) for c in reconcile.plan(tenant_dir, only=CKAN_ONLY).changes]
    assert changes == [
        f"~ [ckan] update organization {prefix}barleben\n"
        "      image_url: 'http://localhost:8000/t/barleben/emblem.svg'"
        " → 'https://www.barleben.de/wappen.svg'"
    ]


def test_an_organization_page_shows_emblem_parents_and_members(tenant_dir, prefix):
    """The German theme: the tenant's emblem with a text alternative and its place in the region."""
    reconcile.apply(reconcile.plan(tenant_dir, only=CKAN_ONLY), actor="test")
    district = requests.get(
        f"{django_settings.HUB_CKAN_URL}/organization/{prefix}landkreis-boerde", timeout=30
    ).text
    assert 'alt="Logo von Landkreis Börde"' in district
    assert 'src="http://localhost:8000/t/landkreis-boerde/emblem.svg"' in district
    assert "Mitglieder" in district
    assert f'href="/organization/{prefix}haldensleben"' in district
    assert "Mehr im Regionalen Datenhub" in district
    town = requests.get(
        f"{django_settings.HUB_CKAN_URL}/organization/{prefix}haldensleben", timeout=30
    ).text
    assert "Gehört zu" in town
    assert f'href="/organization/{prefix}landkreis-boerde"' in town
