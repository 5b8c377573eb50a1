# SPDX-License-Identifier: EUPL-1.2
"""The running CKAN of the local stack, through ckanapi, and the truth in its database.

The test catalogue (two organizations, 500 datasets each, a fifth of them private) is seeded
once and kept, but only the tests see it: after the run its datasets are private and its
organizations deleted, so the demo catalogue shows what `make up` made; the next run brings
them back in two bulk updates instead of 1,000 creates. The test users are removed.
"""

from __future__ import annotations

import configparser
import random
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from ckanapi import RemoteCKAN
from django.conf import settings

pytestmark = pytest.mark.integration
CKAN = "http://127.0.0.1:5000"
PER_ORG = 500
ORGS = ("testkatalog-a", "testkatalog-b")
TAGS = ("Mobilität", "Umwelt", "Energie", "Verwaltung", "Bildung", "ÖPNV", "Klima")
FORMATS = ("CSV", "GeoJSON", "JSON", "PDF", "XLSX", "WMS")
LICENSES = ("dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0")  # ids of the dcat-ap.de list
THEMES = ("TRAN", "ENVI", "ENER", "GOVE", "REGI")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
WORDS = (
    "Haltestellen",
    "Ladesäulen",
    "Straßenbeleuchtung",
    "Haushalt",
    "Schulen",
    "Radwege",
    "Messstellen",
    "Wahlergebnisse",
)


def ckan_db_url() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(Path(settings.STATE_DIR) / "ckan" / "ckan.ini")
    return parser["app:main"]["sqlalchemy.url"].replace("postgresql://", "postgresql://", 1)


@dataclass
class Catalogue:
    sysadmin: RemoteCKAN
    anonymous: RemoteCKAN
    member_a: RemoteCKAN
    editor_b: RemoteCKAN
    users: dict[str, str]  # role -> CKAN user name

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        return _ckan_sql(query, params)


def _ckan_sql(query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(ckan_db_url()) as connection:
        return connection.execute(query, params).fetchall()


def _org_state(org: str) -> str | None:
    found = _ckan_sql('SELECT state FROM "group" WHERE name = %s AND is_organization', (org,))
    return found[0][0] if found else None


def _org_id(org: str) -> str:
    """The bulk actions match `org_id` against the datasets' owner_org: the id, never the name."""
    return _ckan_sql('SELECT id FROM "group" WHERE name = %s AND is_organization', (org,))[0][0]


def _datasets(org: str, private: bool) -> list[tuple[str, str]]:
    """(id, name) of the organization's active datasets that are (not) private."""
    return _ckan_sql(
        'SELECT p.id, p.name FROM package p JOIN "group" g ON g.id = p.owner_org'
        " WHERE g.name = %s AND p.state = 'active' AND p.type = 'dataset' AND p.private = %s",
        (org, private),
    )


def _bulk(admin: RemoteCKAN, action: str, ids: list[str], org: str) -> None:
    """A bulk action in four concurrent slices: CKAN patches (and reindexes) one dataset at a
    time, ~75 ms each, and its two workers can take two at once."""
    org_id = _org_id(org)

    def run(part: list[str]) -> None:
        with RemoteCKAN(CKAN, apikey=admin.apikey) as own:  # a session per thread
            own.call_action(action, {"datasets": part, "org_id": org_id})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, [ids[i::4] for i in range(4) if ids[i::4]]))


def _show(admin: RemoteCKAN) -> None:
    """Bring a hidden test catalogue back: organizations active, the intended datasets public."""
    for org in ORGS:
        if _org_state(org) == "deleted":
            admin.action.organization_patch(id=org, state="active")
        public = [
            i
            for i, name in _datasets(org, private=True)
            if re.fullmatch(rf"{org}-\d{{4}}", name) and int(name[-4:]) % 5 != 0
        ]
        if public:
            _bulk(admin, "bulk_update_public", public, org)


def hide(admin: RemoteCKAN) -> None:
    """The test catalogue out of sight: every dataset private, the organizations deleted."""
    for org in ORGS:
        state = _org_state(org)
        if state is None:
            continue
        ids = [i for i, _ in _datasets(org, private=False)]
        if ids:
            _bulk(admin, "bulk_update_private", ids, org)
        if state == "active":
            admin.action.organization_patch(id=org, state="deleted")


def _seed(admin: RemoteCKAN) -> None:
    rng = random.Random(20261126)  # the same catalogue on every machine
    _show(admin)
    for org in ORGS:
        if _org_state(org) is None:
            admin.action.organization_create(name=org, title=f"Testkatalog {org[-1].upper()}")
        have = admin.action.package_search(fq=f"organization:{org}", include_private=True, rows=0)[
            "count"
        ]
        for number in range(have, PER_ORG):
            word = WORDS[number % len(WORDS)]
            admin.action.package_create(
                name=f"{org}-{number:04d}",
                title=f"{word} {org[-1].upper()} Nr. {number}",
                notes=f"Testdatensatz {number} über {word.lower()} in der Region.",
                owner_org=org,
                private=number % 5 == 0,
                license_id=LICENSES[number % len(LICENSES)],
                theme=[THEME + THEMES[number % len(THEMES)]],
                tags=[{"name": t} for t in rng.sample(TAGS, k=1 + number % 3)],
                resources=[
                    {
                        "url": f"https://example.org/{org}/{number}/{i}",
                        "format": rng.choice(FORMATS),
                        "name": f"Teil {i}",
                    }
                    for i in range(1 + number % 2)
                ],
            )


def _user(admin: RemoteCKAN, role: str) -> tuple[str, str]:
    name = f"test-{role}-{uuid.uuid4().hex[:6]}"
    admin.action.user_create(name=name, email=f"{name}@example.org", password=uuid.uuid4().hex)
    token = admin.action.api_token_create(user=name, name="tests")["token"]
    return name, token


@pytest.fixture(scope="session")
def catalogue() -> Iterator[Catalogue]:
    admin = RemoteCKAN(CKAN, apikey=settings.HUB_CKAN_API_TOKEN)
    _seed(admin)
    member, member_token = _user(admin, "member")
    admin.action.organization_member_create(id=ORGS[0], username=member, role="member")
    editor, editor_token = _user(admin, "editor")
    admin.action.organization_member_create(id=ORGS[1], username=editor, role="editor")
    yield Catalogue(
        sysadmin=admin,
        anonymous=RemoteCKAN(CKAN),
        member_a=RemoteCKAN(CKAN, apikey=member_token),
        editor_b=RemoteCKAN(CKAN, apikey=editor_token),
        users={"member_a": member, "editor_b": editor},
    )
    hide(admin)
    for name in (member, editor):
        admin.action.user_delete(id=name)
