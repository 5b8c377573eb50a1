# SPDX-License-Identifier: EUPL-1.2
"""Datasets of the catalogue in the search box, from CKAN's own search (package_search)."""

from __future__ import annotations

import logging

from ckanapi.errors import CKANAPIError
from django.conf import settings
from django.utils.translation import gettext as _

from connectors.ckan import Ckan, CkanUnavailable
from hub.core.registry import SearchHit

log = logging.getLogger(__name__)


class DatasetSearch:
    name = "datasets"

    def search(self, query: str, *, request, limit: int) -> list[SearchHit]:
        # Anonymously: the search box shows what the public may see, never a private dataset.
        anonymous = Ckan(settings.HUB_CKAN_URL, purpose="search")
        try:
            found = anonymous.call("package_search", q=query, rows=limit)
        except (CkanUnavailable, CKANAPIError) as exc:
            log.warning("dataset search: %s", exc)
            return []
        return [
            SearchHit(
                title=item.get("title") or item["name"],
                url=f"{settings.HUB_CKAN_URL}/dataset/{item['name']}",
                kind=_("Datensatz"),
                snippet=(item.get("organization") or {}).get("title", ""),
                rank=1.0,
            )
            for item in found.get("results", [])
        ]
