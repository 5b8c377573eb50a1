# SPDX-License-Identifier: EUPL-1.2
"""Security headers: the hub's pages run only their own scripts and styles (CSP without
'unsafe-inline'), are never framed, and ask for no device but the position; the OGC gateway
marks its answers as data. The browser tests check that no page breaks its own policy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings

from hub.config import ROOT

PAGES = ["/", "/t/haldensleben/", "/t/haldensleben/melden/", "/api/v1/docs", "/healthz"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_policies(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 200, path
    csp = _directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src", "default-src"):
        assert csp[directive] == ["'self'"], (directive, csp[directive])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions
    assert "geolocation=(self)" in permissions
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_maps_may_draw_the_base_map_and_the_ogc_tiles(client, seeded):
    csp = _directives(client.get("/t/haldensleben/")["Content-Security-Policy"])
    ogc = urlsplit(settings.HUB_OGC["url"])
    assert f"{ogc.scheme}://{ogc.netloc}" in csp["img-src"]
    assert "data:" in csp["img-src"]  # Leaflet's marker images


def test_errors_carry_the_policies_too(client, seeded):
    for path in ("/t/atlantis/", "/api/v1/t/atlantis/meldungen", "/sta/v1.1/Gibtsnicht"):
        response = client.get(path)
        assert 400 <= response.status_code < 500, path
        assert "Permissions-Policy" in response, path
        assert "frame-ancestors 'none'" in response.get("Content-Security-Policy", ""), path


# What CSP 'self' forbids in markup: inline scripts (other than data blocks), inline handlers,
# style elements and style attributes, javascript: URLs.
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
        "script",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"<style\b", re.IGNORECASE), "style element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_no_template_of_the_hub_needs_an_inline_script_or_style():
    found = []
    for template in sorted(Path(ROOT, "hub").rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_ogc_gateway_marks_its_answers_as_data():
    base = settings.HUB_OGC["url"]
    for url in (f"{base}/", f"{base}/haldensleben/?SERVICE=WMS&REQUEST=GetCapabilities"):
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
