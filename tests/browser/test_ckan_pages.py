# SPDX-License-Identifier: EUPL-1.2
"""CKAN's pages under its Content-Security-Policy (scripts only from its own files): nothing
is refused, no script fails, and what the overridden templates did in inline handlers still
happens (ckanext-haldensleben templates/ and assets/handlers.js).

CKAN takes its API token in the Authorization header on pages too, so the browser acts as the
hub's sysadmin without a sign-in; nothing is submitted, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

CKAN = "http://localhost:5000"  # ckan.site_url: its scripts call the API there


@dataclass
class Watched:
    page: Page
    problems: list[str] = field(default_factory=list)  # refused by the policy, script errors

    def open(self, path: str) -> Page:
        response = self.page.goto(CKAN + path)
        assert response.ok, f"{path}: {response.status}"
        self.page.wait_for_load_state("load")  # every script of the page ran (or failed)
        return self.page


@pytest.fixture
def ckan(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(
        locale="de", extra_http_headers={"Authorization": settings.HUB_CKAN_API_TOKEN or ""}
    )
    context.set_default_timeout(30_000)  # generous for a busy machine; waits are conditions
    watched = Watched(context.new_page())
    watched.page.on(
        "console",
        lambda m: watched.problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    watched.page.on("pageerror", lambda error: watched.problems.append(f"script error: {error}"))
    yield watched
    context.close()


def _a_dataset() -> str:
    found = requests.get(
        f"{CKAN}/api/3/action/package_search", params={"rows": 1, "sort": "name asc"}, timeout=30
    ).json()["result"]["results"]
    assert found, "the demo catalogue is empty (make up seeds it)"
    return found[0]["name"]


@pytest.mark.parametrize(
    "path",
    ["/", "/dataset/", "/dataset/{dataset}", "/organization/", "/dataset/new", "/user/hub"],
)
def test_ckan_pages_run_under_the_policy(ckan, path):
    ckan.open(path.format(dataset=_a_dataset()))
    assert ckan.problems == []


def test_the_resource_form_switches_between_upload_and_link(ckan):
    page = ckan.open(f"/dataset/{_a_dataset()}/resource/new")
    url = page.locator("#field-resource-url")
    page.locator("#resource-link-button").click()
    expect(page.locator("#resource-url-link")).to_be_checked()
    expect(url).to_be_focused()
    url.fill("https://example.org/daten.csv")
    page.locator("#resource-url-link + .select-type .btn-remove-url").click()
    expect(page.locator("#resource-url-none")).to_be_checked()
    expect(url).to_have_value("")
    expect(page.locator("#resource-upload-button")).to_be_focused()
    assert ckan.problems == []


def test_the_token_list_enables_revoking_while_a_token_is_checked(ckan):
    page = ckan.open("/user/hub/api-tokens")
    revoke = page.locator("#revoke-tokens-button")
    expect(revoke).to_be_disabled()
    first = page.locator('input[name="token"]').first
    first.check()
    expect(revoke).to_be_enabled()
    first.uncheck()
    expect(revoke).to_be_disabled()
    assert ckan.problems == []
