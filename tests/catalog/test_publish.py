# SPDX-License-Identifier: EUPL-1.2
"""The catalogue bridge against the running CKAN: publish, idempotency, withdrawal, outage."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from ckanapi import NotFound

from connectors.ckan import CkanUnavailable
from hub.catalog import services
from hub.catalog.tasks import publish_catalog
from hub.opendata.sources import SOURCES
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
        for identifier in ("gebiet", "meldungen", *SOURCES):
            with contextlib.suppress(NotFound):
                client.remote.action.dataset_purge(id=f"{prefix}{slug}-{identifier}")
        with contextlib.suppress(NotFound):
            client.remote.action.organization_purge(id=f"{prefix}{slug}")


def test_every_tenant_area_is_published_once(ckan_orgs, seeded):
    first = services.publish()
    with_area = sorted(f"{ckan_orgs}{s}-gebiet" for s, t in seeded.items() if t.boundary)
    assert sorted(n for n in first.created if n.endswith("-gebiet")) == with_area
    assert len(with_area) == 10  # the centre has no area
    dataset = services.ckan().remote.action.package_show(id=f"{ckan_orgs}haldensleben-gebiet")
    assert dataset["organization"]["name"] == f"{ckan_orgs}haldensleben"
    assert dataset["license_id"] == "dl-by-de/2.0"
    assert [r["url"] for r in dataset["resources"]] == [
        "http://localhost:8000/api/v1/t/haldensleben/boundary.geojson"
    ]
    assert dataset["hub_identifier"] == "gebiet"
    assert dataset["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/15083270"
    ]
    second = services.publish()
    assert (second.created, second.updated, second.withdrawn) == ([], [], [])
    assert sorted(second.unchanged) == sorted(first.created)


def test_tenants_publish_their_share_of_the_regions_open_data(ckan_orgs, seeded, client):
    services.publish()
    ckan = services.ckan().remote.action
    stops = ckan.package_show(id=f"{ckan_orgs}haldensleben-haltestellen")
    assert stops["license_id"] == "cc-by/4.0"
    # The licence names the source, not the town that republishes it.
    assert stops["attribution"].startswith("Nahverkehrsservice Sachsen-Anhalt GmbH")
    assert stops["theme"] == ["http://publications.europa.eu/resource/authority/data-theme/TRAN"]
    assert [r["format"] for r in stops["resources"]] == ["CSV", "GeoJSON"]
    csv_url, geojson_url = (r["url"] for r in stops["resources"])
    assert csv_url == "http://localhost:8000/api/v1/t/haldensleben/offene-daten/haltestellen.csv"
    rows = client.get(csv_url.removeprefix("http://localhost:8000")).content.decode().splitlines()
    features = client.get(geojson_url.removeprefix("http://localhost:8000")).json()["features"]
    assert rows[0] == "stop_id,name,platform_code,lat,lon"
    assert len(rows) - 1 == len(features) == int(stops["notes"].split(" Einträge")[0].split()[-1])
    assert any("Haldensleben" in f["properties"]["name"] for f in features)
    # Möser lies outside the Börde bus network: no empty dataset is published for it.
    with pytest.raises(NotFound):
        ckan.package_show(id=f"{ckan_orgs}moeser-haltestellen")


def test_open_data_exports_refuse_unknown_sets_and_tenants(client, seeded):
    assert client.get("/api/v1/t/haldensleben/offene-daten/geheim.csv").status_code == 404
    assert client.get("/api/v1/t/haldensleben/offene-daten/haltestellen.xlsx").status_code == 404
    assert client.get("/api/v1/t/nirgendwo/offene-daten/haltestellen.csv").status_code == 404
    charging = client.get("/api/v1/t/landkreis-boerde/offene-daten/ladesaeulen.geojson").json()
    # 25 of the extract's 42 devices lie in the district (the rest in Magdeburg).
    assert len(charging["features"]) == 25


def test_a_changed_data_set_is_updated_and_a_gone_one_withdrawn(ckan_orgs, seeded):
    services.publish()
    seeded["barleben"].short_name = "Barleben (Börde)"
    seeded["barleben"].save()
    seeded["moeser"].is_active = False
    seeded["moeser"].save()
    report = services.publish()
    # Barleben's name is in the titles of all four of its data sets.
    assert report.updated == [
        f"{ckan_orgs}barleben-{i}" for i in ("gebiet", "haltestellen", "ladesaeulen", "meldungen")
    ]
    # Möser is gone (it publishes only its area: no stops, no charging stations, no reports).
    assert report.withdrawn == [f"{ckan_orgs}moeser-gebiet"]
    withdrawn = services.ckan().remote.action.package_show(id=f"{ckan_orgs}moeser-gebiet")
    assert withdrawn["state"] == "deleted"  # withdrawn, not purged


def test_the_published_link_serves_the_area(ckan_orgs, seeded, client):
    feature = client.get("/api/v1/t/haldensleben/boundary.geojson").json()
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["ags"] == "15083270"
    assert client.get("/api/v1/t/rdz-haldensleben/boundary.geojson").status_code == 404


def test_ckan_away_is_an_error_the_task_retries(settings, seeded):
    settings.HUB_CKAN_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(CkanUnavailable, match=r"127\.0\.0\.1:9"):
        services.publish()
    assert CkanUnavailable in publish_catalog.autoretry_for
    assert publish_catalog.max_retries == 8
