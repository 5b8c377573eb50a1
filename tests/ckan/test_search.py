# SPDX-License-Identifier: EUPL-1.2
"""CKAN's package_search on PostgreSQL (haldensleben_search) against the truth in CKAN's tables.

For a seeded catalogue of 1,000 datasets in two organizations, results, counts and facet counts
must equal what SQL over CKAN's own tables says, for every kind of viewer; private datasets of
one organization never reach anyone outside it.
"""

from __future__ import annotations

import pytest
import requests
from ckanapi import SearchQueryError
from ckanapi.errors import CKANAPIError, ValidationError

from tests.ckan.conftest import CKAN, ORGS

pytestmark = pytest.mark.integration
BOTH = f"organization:({ORGS[0]} OR {ORGS[1]})"

# viewer -> organizations whose private datasets it may see
VIEWERS = {
    "anonymous": (),
    "member_a": (ORGS[0],),
    "editor_b": (ORGS[1],),
    "sysadmin": ORGS,
}

BASE = """
    FROM package p JOIN "group" g ON g.id = p.owner_org
    WHERE g.name = ANY(%s) AND p.state = 'active' AND p.type = 'dataset'
      AND (NOT p.private OR g.name = ANY(%s))
"""


TAG_JOIN = (
    "JOIN package_tag pt ON pt.package_id = p.id AND pt.state = 'active' "
    "JOIN tag t ON t.id = pt.tag_id"
)
RESOURCE_JOIN = "JOIN resource r ON r.package_id = p.id AND r.state = 'active'"


def client(catalogue, viewer):
    return {
        "anonymous": catalogue.anonymous,
        "member_a": catalogue.member_a,
        "editor_b": catalogue.editor_b,
        "sysadmin": catalogue.sysadmin,
    }[viewer]


def search(catalogue, viewer, **params):
    params.setdefault("include_private", True)
    fq = params.pop("fq", "")
    return client(catalogue, viewer).action.package_search(fq=f"{BOTH} {fq}".strip(), **params)


def truth(catalogue, viewer, extra: str = "", params: tuple = ()) -> set[str]:
    rows = catalogue.sql(
        f"SELECT p.name {BASE} {extra}", (list(ORGS), list(VIEWERS[viewer]), *params)
    )
    return {r[0] for r in rows}


def all_names(catalogue, viewer, **params) -> set[str]:
    result = search(catalogue, viewer, rows=1000, **params)
    names = {d["name"] for d in result["results"]}
    assert len(names) == result["count"]
    return names


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_and_results_equal_sql(catalogue, viewer):
    expected = truth(catalogue, viewer)
    assert len(expected) >= (800 if viewer == "anonymous" else 900)
    assert all_names(catalogue, viewer) == expected


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(
    ("fq", "extra", "params"),
    [
        (
            'tags:"Mobilität"',
            "AND EXISTS (SELECT 1 FROM package_tag pt JOIN tag t ON t.id = pt.tag_id"
            " WHERE pt.package_id = p.id AND pt.state = 'active' AND t.name = %s)",
            ("Mobilität",),
        ),
        (
            "res_format:CSV",
            "AND EXISTS (SELECT 1 FROM resource r WHERE r.package_id = p.id"
            " AND r.state = 'active' AND r.format = %s)",
            ("CSV",),
        ),
        ("license_id:cc-by-4.0", "AND p.license_id = %s", ("cc-by-4.0",)),
        (f"organization:{ORGS[0]}", "AND g.name = %s", (ORGS[0],)),
        (
            "-tags:Umwelt",
            "AND NOT EXISTS (SELECT 1 FROM package_tag pt JOIN tag t ON"
            " t.id = pt.tag_id WHERE pt.package_id = p.id AND pt.state = 'active'"
            " AND t.name = %s)",
            ("Umwelt",),
        ),
    ],
)
def test_filters_equal_sql(catalogue, viewer, fq, extra, params):
    assert all_names(catalogue, viewer, fq=fq) == truth(catalogue, viewer, extra, params)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_facet_counts_equal_sql(catalogue, viewer):
    result = search(
        catalogue,
        viewer,
        rows=0,
        **{
            "facet.field": '["tags", "res_format", "license_id", "organization"]',
            "facet.limit": -1,
        },
    )
    facets = result["facets"]
    visible = (list(ORGS), list(VIEWERS[viewer]))
    with_tags = BASE.replace("WHERE", f"{TAG_JOIN} WHERE", 1)
    with_resources = BASE.replace("WHERE", f"{RESOURCE_JOIN} WHERE", 1)
    tags = dict(
        catalogue.sql(f"SELECT t.name, count(DISTINCT p.id) {with_tags} GROUP BY t.name", visible)
    )
    formats = dict(
        catalogue.sql(
            f"SELECT r.format, count(DISTINCT p.id) {with_resources} GROUP BY r.format",
            visible,
        )
    )
    licenses = dict(
        catalogue.sql(f"SELECT p.license_id, count(*) {BASE} GROUP BY p.license_id", visible)
    )
    orgs = dict(catalogue.sql(f"SELECT g.name, count(*) {BASE} GROUP BY g.name", visible))
    assert facets["tags"] == tags
    assert facets["res_format"] == formats
    assert facets["license_id"] == licenses
    assert facets["organization"] == orgs


def test_free_text_with_german_stemming(catalogue):
    # "Haltestelle" (singular) finds the titles with "Haltestellen".
    found = all_names(catalogue, "sysadmin", q="Haltestelle")
    expected = truth(catalogue, "sysadmin", "AND p.title LIKE %s", ("Haltestellen %",))
    assert found == expected
    assert found


def test_exact_title_ranks_first(catalogue):
    title = catalogue.sql("SELECT title FROM package WHERE name = %s", (f"{ORGS[0]}-0123",))[0][0]
    result = search(catalogue, "sysadmin", q=title, rows=5)
    assert result["results"][0]["name"] == f"{ORGS[0]}-0123"


@pytest.mark.parametrize("viewer", ["anonymous", "member_a"])
def test_sort_and_paging_equal_sql(catalogue, viewer):
    page = search(catalogue, viewer, sort="title_string asc, name asc", rows=25, start=50)
    ordered = catalogue.sql(
        f"SELECT p.name {BASE} ORDER BY lower(p.title), p.name LIMIT 25 OFFSET 50",
        (list(ORGS), list(VIEWERS[viewer])),
    )
    assert [d["name"] for d in page["results"]] == [r[0] for r in ordered]


def test_private_datasets_never_reach_outsiders(catalogue):
    private_a = {
        r[0]
        for r in catalogue.sql(
            'SELECT p.name FROM package p JOIN "group" g ON g.id = p.owner_org '
            "WHERE g.name = %s AND p.private AND p.state = 'active'",
            (ORGS[0],),
        )
    }
    assert len(private_a) == 100
    for viewer in ("anonymous", "editor_b"):
        for params in (
            {},
            {"q": "Haltestellen"},
            {"fq": f"organization:{ORGS[0]}"},
            {"fq": "capacity:private"},
            {"sort": "name asc"},
        ):
            assert not all_names(catalogue, viewer, **params) & private_a, (viewer, params)
        facets = search(catalogue, viewer, rows=0, **{"facet.field": '["organization"]'})
        public_a = 400
        assert facets["facets"]["organization"].get(ORGS[0]) == public_a


def test_create_update_delete_are_searchable_at_once(catalogue):
    admin = catalogue.sysadmin
    name = "suchtest-neu"
    if admin.action.package_search(fq=f"name:{name}", include_private=True)["count"]:
        admin.action.dataset_purge(id=name)
    admin.action.package_create(
        name=name,
        owner_org=ORGS[1],
        title="Brückenprüfungen 2026",
        notes="Prüfberichte der Brücken.",
        license_id="dl-zero-de/2.0",
        tags=[{"name": "Verwaltung"}],
    )
    assert all_names(catalogue, "anonymous", q="Brückenprüfung") == {name}
    admin.action.package_patch(id=name, title="Brückenprüfungen 2027", private=True)
    assert all_names(catalogue, "anonymous", q="Brückenprüfung") == set()
    assert all_names(catalogue, "editor_b", q="Brückenprüfung") == {name}
    admin.action.package_delete(id=name)
    assert all_names(catalogue, "sysadmin", q="Brückenprüfung") == set()
    admin.action.dataset_purge(id=name)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "title_string sideways"},
        {"sort": "'; DROP TABLE package; --"},
        {"fq": "metadata_modified:[gestern TO NOW]"},
        {"fq": "tags:(Umwelt"},
        {"fq": 'name:"x") OR (1=1'},
    ],
)
def test_bad_search_parameters_are_refused(catalogue, params):
    with pytest.raises((SearchQueryError, CKANAPIError, ValidationError)):
        catalogue.anonymous.action.package_search(**params)
    # ...and the catalogue is still there.
    assert catalogue.sql("SELECT count(*) FROM package")[0][0] >= 1000


@pytest.mark.parametrize(
    "params",
    [
        {"q": ":x"},
        {"fq": "tags:(a OR)"},
        {"fq": "tags:(OR a)"},
        {"fq": "num_resources:[NOW TO *]"},
        {"fq": "metadata_modified:[NOW-7DAYS TO NOW]"},
        {"fq": "()"},
        {"fq": "+"},
    ],
)
def test_malformed_queries_are_search_errors_not_500s(catalogue, params):
    """Regression (review): these raised IndexError/ValueError or a database error (500)."""
    with pytest.raises((SearchQueryError, ValidationError, CKANAPIError)) as caught:
        catalogue.anonymous.action.package_search(**params)
    assert "Internal Server Error" not in str(caught.value)


@pytest.mark.parametrize(
    ("fq", "extra"),
    [
        (
            "num_resources:2",
            "AND (SELECT count(*) FROM resource r WHERE r.package_id = p.id"
            " AND r.state = 'active') = 2",
        ),
        (
            "num_resources:[2 TO *]",
            "AND (SELECT count(*) FROM resource r WHERE"
            " r.package_id = p.id AND r.state = 'active') >= 2",
        ),
        (
            "num_resources:[0 TO 1]",
            "AND (SELECT count(*) FROM resource r WHERE"
            " r.package_id = p.id AND r.state = 'active') <= 1",
        ),
    ],
)
def test_numbers_compare_as_numbers(catalogue, fq, extra):
    """Regression (review): num_resources:2 matched nothing and ranges compared text."""
    expected = truth(catalogue, "sysadmin", extra)
    assert expected
    assert all_names(catalogue, "sysadmin", fq=fq) == expected


def test_drafts_show_only_to_members_who_ask_for_them(catalogue):
    admin = catalogue.sysadmin
    name = "suchtest-entwurf"
    if admin.action.package_search(fq=f"name:{name}", include_drafts=True, include_private=True)[
        "count"
    ]:
        admin.action.dataset_purge(id=name)
    admin.action.package_create(
        name=name,
        owner_org=ORGS[0],
        state="draft",
        title="Entwurf Spielplatzkataster",
        notes="Noch nicht fertig.",
        license_id="dl-zero-de/2.0",
    )
    try:
        query = {"q": "Spielplatzkataster", "include_private": True}
        assert all_names(catalogue, "member_a", include_drafts=True, **query) == {name}
        assert all_names(catalogue, "member_a", **query) == set()  # not without asking
        assert all_names(catalogue, "editor_b", include_drafts=True, **query) == set()
        assert all_names(catalogue, "anonymous", include_drafts=True, **query) == set()
        assert all_names(catalogue, "sysadmin", include_drafts=True, **query) == {name}
    finally:
        admin.action.dataset_purge(id=name)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"rows": -1}, "rows", "0 oder größer"),
        ({"rows": 100000}, "rows", "Höchstens 1000 pro Seite"),
        ({"rows": "zehn"}, "rows", "ganze Zahl"),
        ({"start": -5}, "start", "0 oder größer"),
        ({"start": 10**12}, "start", "Höchstens"),
    ],
)
def test_impossible_paging_is_a_validation_error(catalogue, params, field, message):
    with pytest.raises(ValidationError) as refused:
        catalogue.anonymous.action.package_search(**params)
    assert message in str(refused.value.error_dict[field])


def test_the_largest_page_is_served(catalogue):
    page = catalogue.sysadmin.action.package_search(rows=1000, include_private=True)
    assert len(page["results"]) == 1000


@pytest.mark.parametrize(
    "q",
    [
        'title:(("Haltestellen" OR',
        "{!lucene q.op=OR}*:*",
        "\\",
        "name:[* TO",
        "Haltestellen^^^2~~ AND AND",
        "' OR 1=1 --",
        "\x00",
        "ö" * 5000,
    ],
)
def test_solr_garbage_in_q_is_never_a_500(catalogue, q):
    response = requests.post(
        f"{CKAN}/api/3/action/package_search", json={"q": q, "rows": 5}, timeout=30
    )
    assert response.status_code in (200, 400, 409), response.text[:300]
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body["result"]["count"], int)
    else:  # a message a person can read
        error = body["error"]
        assert error["__type"] in ("Search Error", "Search Query Error", "Validation Error")
        # A person can act on it: a message, or field names with their messages.
        messages = [v for k, v in error.items() if k != "__type"]
        assert messages
        assert all(messages)
    assert catalogue.sql("SELECT count(*) FROM package")[0][0] >= 1000


def test_an_oversized_upload_is_refused_and_nothing_is_written(catalogue, tmp_path):
    name = f"{ORGS[0]}-0001"
    before = catalogue.sysadmin.action.package_show(id=name)["num_resources"]
    big = tmp_path / "gross.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * (11 * 1024 * 1024 // 4))  # 11 MB, the limit is 10
    with big.open("rb") as upload, pytest.raises(ValidationError) as refused:
        catalogue.sysadmin.action.resource_create(
            package_id=name, name="zu groß", format="CSV", upload=upload
        )
    assert "upload" in refused.value.error_dict or "url" in refused.value.error_dict
    assert catalogue.sysadmin.action.package_show(id=name)["num_resources"] == before


def test_facet_counts_follow_every_write(catalogue):
    """Facet counts are cached per index version; every write must show at once."""
    admin = catalogue.sysadmin

    def tag_count() -> int:
        facets = catalogue.anonymous.action.package_search(
            rows=0, **{"facet.field": '["tags"]', "facet.limit": -1}
        )["facets"]["tags"]
        return facets.get("Facettentest", 0)

    name = "suchtest-facette"
    if admin.action.package_search(fq=f"name:{name}", include_private=True)["count"]:
        admin.action.dataset_purge(id=name)
    assert tag_count() == 0
    assert tag_count() == 0  # now from the cache
    admin.action.package_create(
        name=name,
        owner_org=ORGS[0],
        title="Facettentest",
        notes="Zählt er mit?",
        license_id="dl-zero-de/2.0",
        tags=[{"name": "Facettentest"}],
    )
    assert tag_count() == 1
    admin.action.package_patch(id=name, private=True)
    assert tag_count() == 0
    admin.action.package_patch(id=name, private=False)
    assert tag_count() == 1
    admin.action.package_delete(id=name)
    assert tag_count() == 0
    admin.action.dataset_purge(id=name)
