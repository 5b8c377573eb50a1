# SPDX-License-Identifier: EUPL-1.2
"""The catalogue bridge against the running CKAN: publish, idempotency, withdrawal, outage."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from ckanapi import NotFound

from hub.catalog import services
from hub.catalog.tasks import publish_catalog
from tenants import reconcile
from tests.conftest import SEED_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
SLUGS = [p.stem for p in SEED_DIR.glob("*.yaml")]


@pytest.fixture
def ckan_orgs(settings, seeded, tenant_dir):
    """The seed tenants' organizations under a prefix of this test; purged afterwards."""
    settings.HUB_CKAN_ORG_PREFIX = prefix = f"c{uuid.uuid4().hex[:6]}-"
    reconcile.apply(reconcile.plan(tenant_dir, only=["ckan"]), actor="test")
    yield prefix
    client = services.ckan()
    for slug in SLUGS:
        with contextlib.suppress(NotFound):
            client.action.dataset_purge(id=f"{prefix}{slug}-gebiet")
        with contextlib.suppress(NotFound):
            client.action.organization_purge(id=f"{prefix}{slug}")


def test_every_tenant_area_is_published_once(ckan_orgs, seeded):
    first = services.publish()
    with_area = sorted(f"{ckan_orgs}{s}-gebiet" for s, t in seeded.items() if t.boundary)
    assert sorted(first.created) == with_area
    assert len(with_area) == 10  # the centre has no area
    dataset = services.ckan().action.package_show(id=f"{ckan_orgs}haldensleben-gebiet")
    assert dataset["organization"]["name"] == f"{ckan_orgs}haldensleben"
    assert dataset["license_id"] == "dl-by-de/2.0"
    assert [r["url"] for r in dataset["resources"]] == [
        "http://localhost:8000/api/v1/t/haldensleben/boundary.geojson"
    ]
    assert {e["key"]: e["value"] for e in dataset["extras"]} == {"hub_identifier": "gebiet"}
    second = services.publish()
    assert (second.created, second.updated, second.withdrawn) == ([], [], [])
    assert sorted(second.unchanged) == with_area


def test_a_changed_data_set_is_updated_and_a_gone_one_withdrawn(ckan_orgs, seeded):
    services.publish()
    seeded["barleben"].short_name = "Barleben (Börde)"
    seeded["barleben"].save()
    seeded["moeser"].is_active = False
    seeded["moeser"].save()
    report = services.publish()
    assert report.updated == [f"{ckan_orgs}barleben-gebiet"]
    assert report.withdrawn == [f"{ckan_orgs}moeser-gebiet"]
    withdrawn = services.ckan().action.package_show(id=f"{ckan_orgs}moeser-gebiet")
    assert withdrawn["state"] == "deleted"  # withdrawn, not purged


def test_the_published_link_serves_the_area(ckan_orgs, seeded, client):
    feature = client.get("/api/v1/t/haldensleben/boundary.geojson").json()
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["ags"] == "15083270"
    assert client.get("/api/v1/t/rdz-haldensleben/boundary.geojson").status_code == 404


def test_ckan_away_is_an_error_the_task_retries(settings, seeded):
    settings.HUB_CKAN_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(services.CatalogUnavailable, match=r"127\.0\.0\.1:9"):
        services.publish()
    assert services.CatalogUnavailable in publish_catalog.autoretry_for
    assert publish_catalog.max_retries == 8
