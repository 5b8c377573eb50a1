# SPDX-License-Identifier: EUPL-1.2
"""The tenant's page draws its OGC layers and lists the same services as links (no map needed)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_tenant_page_offers_its_ogc_services(client, seeded):
    page = client.get("/t/haldensleben/").text
    base = f"{settings.HUB_OGC['url']}/haldensleben/"
    assert f'data-wms="{base}?"' in page
    assert "meldungen|Meldungen" in page
    for link in (
        f"{base}?SERVICE=WMS&amp;REQUEST=GetCapabilities",
        f"{base}?SERVICE=WFS&amp;REQUEST=GetCapabilities",
        f"{base}ogcapi/collections/meldungen",
        f"{base}ogcapi/collections/vorschlaege",
    ):
        assert f'href="{link}"' in page


def test_a_tenant_without_an_area_has_no_services(client, seeded):
    page = client.get("/t/rdz-haldensleben/")
    assert page.status_code == 200
    assert "data-wms" not in page.text
