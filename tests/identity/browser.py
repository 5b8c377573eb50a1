# SPDX-License-Identifier: EUPL-1.2
"""An HTTP client that signs in through Keycloak's real login pages, form by form.

It does what a browser does with the pages: follow redirects, read the form, send its hidden
inputs back with what a person would type. No Keycloak API is used to sign in.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import requests

HUB = "http://localhost:8000"


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"id": attrs.get("id"), "action": attrs.get("action", ""), "fields": {}}
            )
        elif tag == "input" and self.forms and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def forms_of(page: requests.Response) -> list[dict]:
    parser = _Forms()
    parser.feed(page.text)
    return parser.forms


class SignInFailed(AssertionError):
    pass


class Browser:
    """Browsers treat http://localhost as a secure context and send `Secure` cookies to it, as
    Keycloak expects; Python's cookie jar does not. So this local test browser follows
    redirects itself and drops the `Secure` flag of its cookies before every hop."""

    def __init__(self):
        self.session = requests.Session()

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        url = url if url.startswith("http") else HUB + url
        for _ in range(20):
            for cookie in self.session.cookies:
                cookie.secure = False
            response = self.session.request(
                method, url, allow_redirects=False, timeout=30, **kwargs
            )
            if not response.is_redirect:
                return response
            url = requests.compat.urljoin(url, response.headers["Location"])
            method, kwargs = "GET", {}
        raise SignInFailed(f"too many redirects, last {url}")

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def submit(
        self, page: requests.Response, form_id: str | None, **values: str
    ) -> requests.Response:
        forms = [f for f in forms_of(page) if form_id is None or f["id"] == form_id]
        if not forms:
            raise SignInFailed(f"no form {form_id!r} on {page.url}:\n{_text(page)}")
        form = forms[0]
        return self.request(
            "POST", html.unescape(form["action"]), data={**form["fields"], **values}
        )

    def sign_in(
        self, username: str, password: str, *, next_url: str = "/konto/"
    ) -> requests.Response:
        """Sign in to the hub through the region's login pages (and a brokered directory)."""
        page = self.get(f"/oidc/authenticate/?next={next_url}")
        page = self.submit(page, "kc-form-login", username=username)
        for _ in range(4):
            if page.url.startswith(HUB):
                return page
            ids = {f["id"] for f in forms_of(page)}
            if "kc-form-login" in ids:
                page = self.submit(page, "kc-form-login", username=username, password=password)
            elif "kc-update-profile-form" in ids or "kc-idp-review-profile-form" in ids:
                page = self.submit(page, None)
            else:
                break
        if not page.url.startswith(HUB):
            raise SignInFailed(f"sign-in of {username} ended at {page.url}:\n{_text(page)}")
        return page


def _text(page: requests.Response) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.text, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:1500]
