# SPDX-License-Identifier: EUPL-1.2
"""GovData's conventions (ADR 0012): the WHOLE catalogue, every page of /catalog.ttl, has no
violation under DCAT-AP.de 3.0 nor under 2.0 "Spezifikation + Konventionen", offline with the
local copies of the vocabularies it uses (tests/ckan/shacl.py), and carries what GovData's
Konventionenhandbuch 2.0 demands beyond what its shapes check."""

from __future__ import annotations

import html
from collections import Counter

import pytest
import requests
from django.conf import settings
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.ckan import shacl
from tests.ckan.conftest import CKAN
from tests.ckan.test_dcat import KEYS, _catalogue

pytestmark = pytest.mark.integration
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
GEO = "http://dcat-ap.de/def/politicalGeocoding/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FORMAT = DCTERMS["format"]
# Licences whose terms ask for the source to be named (K35), as ids of the dcat-ap.de list.
ATTRIBUTION = ("dl-by-de/", "dl-by-nc-de/", "cc-by", "odby", "odbl", "geonutz/")


@pytest.fixture(scope="module")
def whole(catalogue) -> Graph:
    """Every page of the seeded catalogue (the 1,000 test datasets + the hub's), one graph."""
    graph = _catalogue("ttl")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) >= 800
    return graph


def _fail_on(problems: list[shacl.Finding], profile: str) -> None:
    if problems:
        pytest.fail(f"DCAT-AP.de {profile}: {shacl.summary(problems)}", pytrace=False)


@pytest.mark.parametrize("profile", ["3.0", "2.0+Konventionen"])
def test_the_whole_catalogue_has_no_violation(whole, profile):
    _fail_on(shacl.violations(whole, KEYS, profile), profile)


def test_every_dataset_names_the_catalogues_govdata_contributor_id_once(whole):
    """K12/K13: exactly one ID of GovData's list on every dataset, the configured one."""
    own = shacl.configured_contributor()
    assert own.startswith(CONTRIBUTORS), "ckanext.haldensleben.contributor_id is not set"
    wrong = {}
    for dataset in whole.subjects(RDF.type, DCAT.Dataset):
        ids = [str(c) for c in whole.objects(dataset, DCATDE.contributorID)]
        if [c for c in ids if c.startswith(CONTRIBUTORS)] != [own]:
            wrong[str(dataset)] = ids
    assert not wrong, f"{len(wrong)} datasets, e.g. {list(wrong.items())[:3]}"


def test_every_dataset_has_its_human_page_as_landing_page(whole):
    pages = {
        dataset: whole.value(dataset, DCAT.landingPage)
        for dataset in whole.subjects(RDF.type, DCAT.Dataset)
    }
    missing = [str(d) for d, page in pages.items() if not isinstance(page, URIRef)]
    assert not missing, f"{len(missing)} datasets without dcat:landingPage, e.g. {missing[:3]}"
    # Without a web page of its own, a dataset's landing page is its page in the catalogue.
    ours = [p for p in pages.values() if str(p).startswith(f"{settings.HUB_CKAN_URL}/dataset/")]
    assert len(ours) >= 800
    dataset, page = next((d, p) for d, p in pages.items() if p in ours)
    response = requests.get(str(page).replace(settings.HUB_CKAN_URL, CKAN), timeout=30)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert html.escape(str(whole.value(dataset, DCTERMS.title)), quote=False) in response.text


def test_the_area_keys_are_also_political_geocoding_uris(whole):
    """K08: the official key of a dataset's area also as dcatde:politicalGeocodingURI (which
    3.0 only deprecates, with a warning), K11: mirrored in dct:spatial."""
    with_keys, wrong = 0, []
    for dataset in whole.subjects(RDF.type, DCAT.Dataset):
        spatial = {str(s) for s in whole.objects(dataset, DCTERMS.spatial) if s.startswith(GEO)}
        political = {str(s) for s in whole.objects(dataset, DCATDE.politicalGeocodingURI)}
        with_keys += bool(spatial)
        if spatial != political:
            wrong.append((str(dataset), sorted(spatial), sorted(political)))
    assert with_keys >= 9  # the hub's datasets of the seeded tenants
    assert not wrong, wrong[:3]


def test_distributions_follow_the_distribution_conventions(whole):
    """K35: the attribution text where the licence asks for it; K39: a file's URL also as
    dcat:downloadURL; K41: none for a data service's distribution; K22: only the statuses GovData
    takes."""
    problems: Counter[str] = Counter()
    downloads = 0
    for distribution in whole.subjects(RDF.type, DCAT.Distribution):
        licences = [str(v).lower() for v in whole.objects(distribution, DCTERMS.license)]
        if any(f"/licenses/{a}" in lic for lic in licences for a in ATTRIBUTION) and not any(
            whole.objects(distribution, DCATDE.licenseAttributionByText)
        ):
            problems["K35 attribution licence without dcatde:licenseAttributionByText"] += 1
        formats = {f.removeprefix(FILE_TYPE) for f in whole.objects(distribution, FORMAT)}
        download = whole.value(distribution, DCAT.downloadURL)
        downloads += download is not None
        is_file = formats and not formats & {"HTML", "WMS_SRVC", "WFS_SRVC"}
        if is_file and download != whole.value(distribution, DCAT.accessURL):
            problems["K39 a file without its URL as dcat:downloadURL"] += 1
        if any(whole.objects(distribution, DCAT.accessService)) and download is not None:
            problems["K41 a data service's distribution with a dcat:downloadURL"] += 1
        for status in whole.objects(distribution, ADMS.status):
            if str(status).rpartition("/")[2] not in ("Completed", "Deprecated", "Withdrawn"):
                problems[f"K22 adms:status {status}"] += 1
    assert downloads >= 500
    assert not problems, dict(problems)


def test_no_dataset_names_a_source(whole):
    """K21: GovData's portals do not use dct:source."""
    assert not list(whole.subject_objects(DCTERMS.source))


def test_the_2_0_konventionen_validator_is_not_vacuous():
    """The same check finds a dataset without, and one with a second, ID of GovData's list."""
    graph = Graph().parse(data=requests.get(f"{CKAN}/catalog.ttl", timeout=60).content)
    profile, own = "2.0+Konventionen", shacl.configured_contributor()
    assert shacl.violations(graph, KEYS, profile) == []
    first, second = list(graph.subjects(RDF.type, DCAT.Dataset))[:2]
    graph.remove((first, DCATDE.contributorID, None))
    other = URIRef(f"{CONTRIBUTORS}einAnderesPortal")
    graph.add((second, DCATDE.contributorID, other))
    problems = shacl.violations(graph, KEYS, profile, contributors=(own, str(other)))
    assert sorted((p.focus, p.path) for p in problems) == sorted(
        [(str(first), str(DCATDE.contributorID)), (str(second), str(DCATDE.contributorID))]
    )
    assert all(p.shape.endswith("Konv12_13_contributorID_v_List") for p in problems)
