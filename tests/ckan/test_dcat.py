# SPDX-License-Identifier: EUPL-1.2
"""DCAT-AP.de: the schema refuses what the standard makes mandatory, and the catalogue's RDF
validates against the DCAT-AP.de 3.0 shapes (pyshacl, offline; see tests/ckan/shacl.py)."""

from __future__ import annotations

import contextlib
import uuid
import warnings
from urllib.parse import urlencode

import pytest
import requests
from ckanapi import NotFound, ValidationError
from django.conf import settings
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS

from hub.catalog import services
from tests.ckan import shacl
from tests.ckan.conftest import CKAN

pytestmark = pytest.mark.integration
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
GEO = "http://dcat-ap.de/def/politicalGeocoding"
DCATDE = "http://dcat-ap.de/def/dcatde/"
# Every official key of the seed tenants (tenants/*.yaml).
KEYS = (
    "15083",
    "15083270",
    "15083298",
    "15083411",
    "15083390",
    "15083565",
    "15083040",
    "15086145",
    "150835052",
)
VALID = {
    "title": "Straßenbäume",
    "notes": "Die Bäume an den Straßen der Stadt.",
    "license_id": "dl-zero-de/2.0",
    "resources": [{"url": "https://example.org/baeume.csv", "format": "CSV"}],
}


@pytest.fixture
def created():
    """Names of datasets a test creates in the seed organizations; purged afterwards."""
    names: list[str] = []
    yield names
    admin = services.ckan().remote
    for name in names:
        with contextlib.suppress(NotFound):
            admin.action.dataset_purge(id=name)


def _name() -> str:
    return f"dcat-test-{uuid.uuid4().hex[:8]}"


# The 10,000 datasets `make bench` leaves in a developer's CKAN are not the seeded catalogue.
BENCH_ORGS = ("bench-katalog-1", "bench-katalog-2")
NOT_BENCH = " AND ".join(f"-organization:{org}" for org in BENCH_ORGS)


def _catalogue(fmt: str = "ttl") -> Graph:
    """Every page of /catalog.<fmt>, following hydra:nextPage, in one graph."""
    graph, pages = Graph(), 0
    url = f"{CKAN}/catalog.{fmt}?{urlencode({'fq': NOT_BENCH})}"
    while url:
        response = requests.get(url, timeout=120)
        response.raise_for_status()
        # The bytes: CKAN sends text/turtle without a charset, and requests would read Latin-1.
        page = Graph().parse(data=response.content, format={"ttl": "turtle"}.get(fmt, fmt))
        pages += 1
        next_page = next(page.objects(None, HYDRA.nextPage), None)
        for triple in page:
            if not str(triple[1]).startswith(str(HYDRA)):  # the paging, not the catalogue
                graph.add(triple)
        # ckanext-dcat names pages with the site URL (localhost), we fetch over 127.0.0.1.
        url = str(next_page).replace(settings.HUB_CKAN_URL, CKAN) if next_page else None
        assert pages < 100
    return graph


def test_the_seeded_catalogue_is_valid_dcat_ap_de(catalogue):
    # The hub's own datasets are there: `make up` published them. Regression: publishing here
    # from the test database (emptied by an earlier transactional test) withdrew all of them.
    graph = _catalogue("ttl")
    datasets = set(graph.subjects(DCTERMS.title, None)) & set(
        graph.subjects(None, URIRef("http://www.w3.org/ns/dcat#Dataset"))
    )
    public = catalogue.sql(
        'SELECT count(*) FROM package p LEFT JOIN "group" g ON g.id = p.owner_org'
        " WHERE p.state = 'active' AND NOT p.private AND p.type = 'dataset'"
        " AND coalesce(g.name, '') <> ALL(%s)",
        (list(BENCH_ORGS),),
    )[0][0]
    assert len(datasets) == public >= 800  # the 1,000 test datasets (a fifth private) + the seed
    problems = shacl.violations(graph, KEYS)
    assert problems == [], "\n".join(map(str, problems[:20]))


@pytest.mark.parametrize("fmt", ["rdf", "jsonld"])
def test_the_other_serialisations_carry_the_same_catalogue(fmt):
    response = requests.get(f"{CKAN}/catalog.{fmt}", timeout=120)
    assert response.status_code == 200
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated graph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph().parse(data=response.text, format={"rdf": "xml", "jsonld": "json-ld"}[fmt])
    assert shacl.violations(graph, KEYS) == []
    assert any(graph.subjects(None, URIRef("http://www.w3.org/ns/dcat#Catalog")))


def test_a_dataset_page_is_valid_and_carries_the_german_properties(created):
    admin = services.ckan().remote
    name = _name()
    created.append(name)
    dataset = admin.action.package_create(name=name, owner_org="haldensleben", **VALID)
    graph = Graph().parse(data=requests.get(f"{CKAN}/dataset/{name}.ttl", timeout=30).text)
    assert shacl.violations(graph, KEYS) == []
    ref = URIRef(f"{settings.HUB_CKAN_URL}/dataset/{dataset['id']}")
    dcatde = Namespace("http://dcat-ap.de/def/dcatde/")
    assert graph.value(ref, dcatde.politicalGeocodingLevelURI) == URIRef(
        f"{GEO}/Level/municipality"
    )
    assert URIRef(f"{GEO}/municipalityKey/15083270") in set(graph.objects(ref, DCTERMS.spatial))
    distribution = graph.value(ref, URIRef("http://www.w3.org/ns/dcat#distribution"))
    assert graph.value(distribution, DCTERMS.license) == URIRef(
        "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    )
    assert graph.value(distribution, DCTERMS["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )


def test_a_dataset_keeps_its_own_web_page_and_only_the_catalogues_govdata_id(created):
    """dcat:landingPage is the dataset's own web page (`url`) when it has one, else its page in
    CKAN; of GovData's contributor IDs it carries only the catalogue's (Konvention K13), IDs of
    other schemes stay (test_govdata_conventions.py checks the whole catalogue)."""
    name = _name()
    created.append(name)
    other_scheme = "https://example.org/datenbereitsteller/42"
    dataset = services.ckan().remote.action.package_create(
        name=name,
        owner_org="haldensleben",
        url="https://example.org/baeume",
        contributor_id=["http://dcat-ap.de/def/contributors/einAnderesPortal", other_scheme],
        **VALID,
    )
    graph = Graph().parse(data=requests.get(f"{CKAN}/dataset/{name}.ttl", timeout=30).content)
    ref = URIRef(f"{settings.HUB_CKAN_URL}/dataset/{dataset['id']}")
    dcat, dcatde = Namespace("http://www.w3.org/ns/dcat#"), Namespace(DCATDE)
    assert list(graph.objects(ref, dcat.landingPage)) == [URIRef("https://example.org/baeume")]
    assert {str(c) for c in graph.objects(ref, dcatde.contributorID)} == {
        shacl.configured_contributor(),
        other_scheme,
    }
    assert shacl.violations(graph, KEYS, "2.0+Konventionen") == []
    assert shacl.violations(graph, KEYS) == []


def test_the_validator_is_not_vacuous():
    """The same check finds the two known 3.0 violations of GovData's 2.0 SIMPLE example, and
    one we make by removing a mandatory property from a valid dataset."""
    example = Graph().parse(
        settings.HUB_DATA_DIR / "dcat-ap-de" / "examples" / "dcat_ap_de-RefImp_TTL_SIMPLE.ttl"
    )
    assert len(shacl.violations(example, KEYS)) == 2
    graph = Graph().parse(data=requests.get(f"{CKAN}/catalog.ttl", timeout=60).text)
    dataset = next(graph.subjects(None, URIRef("http://www.w3.org/ns/dcat#Dataset")))
    graph.remove((dataset, DCTERMS.description, None))
    problems = shacl.violations(graph, KEYS)
    assert [p.path for p in problems] == [str(DCTERMS.description)]


@pytest.mark.parametrize(
    ("org", "level", "area"),
    [
        ("haldensleben", "municipality", "municipalityKey/15083270"),
        ("landkreis-boerde", "administrativeDistrict", "districtKey/15083"),
        ("vg-flechtingen", "municipality", "municipalAssociationKey/150835052"),
    ],
)
def test_political_geocoding_comes_from_the_organizations_official_key(created, org, level, area):
    name = _name()
    created.append(name)
    dataset = services.ckan().remote.action.package_create(name=name, owner_org=org, **VALID)
    assert dataset["political_geocoding_level_uri"] == f"{GEO}/Level/{level}"
    assert dataset["political_geocoding_uri"] == [f"{GEO}/{area}"]


def test_an_organization_without_any_key_gets_no_geocoding_and_stays_valid(created):
    """The digitalisation centre has no key, no parent and no members (recommended only)."""
    name = _name()
    created.append(name)
    dataset = services.ckan().remote.action.package_create(
        name=name, owner_org="rdz-haldensleben", **VALID
    )
    assert not dataset.get("political_geocoding_uri")
    assert not dataset.get("political_geocoding_level_uri")
    graph = Graph().parse(data=requests.get(f"{CKAN}/dataset/{name}.ttl", timeout=30).text)
    assert shacl.violations(graph, KEYS) == []


def test_a_network_spans_the_areas_of_its_members(created):
    name = _name()
    created.append(name)
    dataset = services.ckan().remote.action.package_create(
        name=name, owner_org="energieeffizienznetzwerk-mittelland", **VALID
    )
    members = ("15083040", "15083390", "15083411", "15083565", "15086145")  # + VG Flechtingen
    assert sorted(dataset["political_geocoding_uri"]) == sorted(
        [f"{GEO}/municipalityKey/{k}" for k in members]
        + [f"{GEO}/municipalAssociationKey/150835052"]
    )
    assert dataset["political_geocoding_level_uri"] == f"{GEO}/Level/municipality"


@pytest.mark.parametrize(
    ("missing", "field"),
    [("title", "title"), ("notes", "notes"), ("license_id", "license_id")],
)
def test_a_dataset_without_a_mandatory_field_is_refused_naming_it(created, missing, field):
    name = _name()
    created.append(name)
    body = {k: v for k, v in VALID.items() if k != missing}
    with pytest.raises(ValidationError) as refused:
        services.ckan().remote.action.package_create(name=name, owner_org="haldensleben", **body)
    assert field in refused.value.error_dict
    with pytest.raises(NotFound):  # nothing half-written
        services.ckan().remote.action.package_show(id=name)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"license_id": "proprietär-xyz"}, "license_id", "Unbekannte Lizenz"),
        ({"owner_org": "gibt-es-nicht"}, "owner_org", ""),
        ({"resources": [{"format": "CSV", "name": "ohne URL"}]}, "resources", ""),
        ({"url": "javascript:alert(1)"}, "url", "mit https:// oder http://"),
        ({"contact": [{"name": "A", "email": "keine-adresse"}]}, "contact", ""),
        ({"theme": ["http://example.org/erfunden"]}, "theme", ""),
        ({"resources": [{"url": "https://e.org/x", "license": "frei"}]}, "resources", ""),
        # A NUL is refused before CKAN reads the body (ckanext-haldensleben's middleware).
        ({"title": "Bäume\x00"}, "message", "NUL"),
        # IRIs an RDF serialiser refuses would break the whole catalogue page.
        ({"url": "https://example.org/{a}"}, "url", "mit https://"),
        ({"contact": [{"url": 'https://e.org/"x"'}]}, "contact", ""),
        ({"spatial_coverage": [{"uri": "https://e.org/a b"}]}, "spatial_coverage", ""),
        ({"resources": [{"url": "https://e.org/x", "name": "a\x00"}]}, "message", "NUL"),
    ],
)
def test_bad_metadata_is_a_validation_error_with_a_message(created, change, field, message):
    name = _name()
    created.append(name)
    body = {"owner_org": "haldensleben", **VALID, **change}
    with pytest.raises(ValidationError) as refused:
        services.ckan().remote.action.package_create(name=name, **body)
    errors = refused.value.error_dict
    assert field in errors
    assert message in str(errors[field])
    with pytest.raises(NotFound):
        services.ckan().remote.action.package_show(id=name)


def test_licences_are_the_dcat_ap_de_list():
    licences = {
        lic["id"]: lic
        for lic in requests.get(f"{CKAN}/api/3/action/license_list", timeout=30).json()["result"]
    }
    assert licences["dl-by-de/2.0"]["url"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert licences["dl-zero-de/2.0"]["url"] == "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    assert len(licences) == 34


def test_only_a_sysadmin_sets_the_geocoding_by_hand(catalogue, created):
    """Others get it derived from the organization (none here: a test organization has no key)."""
    name = _name()
    created.append(name)
    dataset = catalogue.editor_b.action.package_create(
        name=name,
        owner_org="testkatalog-b",
        political_geocoding_uri=[f"{GEO}/municipalityKey/15083270"],
        **VALID,
    )
    assert not dataset.get("political_geocoding_uri")


def test_organization_admins_cannot_rewrite_the_hubs_extras(catalogue):
    admin = services.ckan().remote.action
    name = f"dcat-admin-{uuid.uuid4().hex[:6]}"
    admin.user_create(name=name, email=f"{name}@example.org", password=uuid.uuid4().hex)
    token = admin.api_token_create(user=name, name="t")["token"]
    admin.organization_member_create(id="barleben", username=name, role="admin")
    original = admin.organization_show(id="barleben")["description"]
    try:
        from ckanapi import RemoteCKAN

        as_admin = RemoteCKAN(CKAN, apikey=token).action
        with pytest.raises(ValidationError) as refused:
            as_admin.organization_patch(
                id="barleben", extras=[{"key": "parents", "value": "testkatalog-a"}]
            )
        assert "parents" in str(refused.value.error_dict["extras"])
        # ...while the rest of the organization stays theirs to edit.
        as_admin.organization_patch(id="barleben", description="Gemeinde Barleben (Test)")
        assert admin.organization_show(id="barleben")["description"] == "Gemeinde Barleben (Test)"
    finally:
        admin.organization_member_delete(id="barleben", username=name)
        admin.user_delete(id=name)
        # As the hub wrote it, so that no reconcile finds drift afterwards.
        admin.organization_patch(id="barleben", description=original)


def test_an_unmanaged_organization_cannot_join_the_hierarchy(catalogue):
    admin = services.ckan().remote.action
    name = f"dcat-fremd-{uuid.uuid4().hex[:6]}"
    admin.organization_create(
        name=name, title="Fremde Organisation", extras=[{"key": "parents", "value": "moeser"}]
    )
    try:
        page = requests.get(f"{CKAN}/organization/moeser", timeout=30).text
        assert "Fremde Organisation" not in page
    finally:
        admin.organization_purge(id=name)


@pytest.mark.parametrize(
    "path",
    [
        "/api/3/action/package_show?id=%00",
        "/api/3/action/organization_show?id=%00",
        "/dataset/%00",
        "/dataset/?q=%00",
        "/dataset/?tags=%00",
        "/organization/?q=%00",
    ],
)
def test_a_nul_anywhere_in_a_request_is_a_400(path):
    response = requests.get(f"{CKAN}{path}", timeout=30)
    assert response.status_code == 400
    assert "NUL" in response.text


def test_nul_in_a_json_body_and_huge_pages_are_refused():
    response = requests.post(
        f"{CKAN}/api/3/action/package_search", json={"fq_list": ["\x00"]}, timeout=30
    )
    assert response.status_code == 400
    huge = requests.get(f"{CKAN}/catalog.ttl?page=99999999999999999999", timeout=30)
    assert huge.status_code < 500
    start = requests.get(f"{CKAN}/api/3/action/package_search?start=100000000000", timeout=30)
    assert start.status_code == 409
    assert "start" in start.json()["error"]


def test_deeply_nested_json_is_refused_and_every_answer_carries_the_headers():
    deep = b'{"q": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = requests.post(
        f"{CKAN}/api/3/action/package_search",
        data=deep,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "nests deeper than 32" in response.json()["error"]["message"]
    brackets_in_text = {"q": "[" * 100, "rows": 1}  # brackets inside a string do not count
    assert requests.post(
        f"{CKAN}/api/3/action/package_search", json=brackets_in_text, timeout=30
    ).ok
    for path in ("/", "/dataset/", "/api/3/action/status_show", "/dataset/gibt-es-nicht"):
        headers = requests.get(f"{CKAN}{path}", timeout=30).headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        csp = headers["Content-Security-Policy"]
        policy = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["script-src"] == "'self'", path  # no inline script, no eval
        assert "camera=()" in headers["Permissions-Policy"], path


def test_catalogue_pages_with_spaces_in_the_query_are_served():
    """ckanext-dcat wrote the paging links unencoded and rdflib refused them (500)."""
    response = requests.get(f"{CKAN}/catalog.ttl", params={"q": "Haltestellen Nr"}, timeout=60)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    pages = {str(s) for s in graph.subjects(None, HYDRA.PagedCollection)}
    assert pages == {f"{settings.HUB_CKAN_URL}/catalog.ttl?q=Haltestellen+Nr&page=1"}
