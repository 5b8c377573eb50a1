# SPDX-License-Identifier: EUPL-1.2
"""ckanext-dcat 2.4 builds its hydra paging links from the raw query (`?q=a b` stays a space),
and rdflib then refuses to write them: /catalog.ttl?q=two words answered 500. These versions of
its catalogue actions rebuild the links URL-encoded, and otherwise do exactly what it does."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.dcat import logic as dcat_logic
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri

PAGE = re.compile(r"[?&]page=(\d+)$")
KEPT = ("modified_since", "profiles", "q", "fq")


def _encoded(url: str) -> str:
    match = PAGE.search(url)
    if match is None:
        return url
    params = [(k, v) for k, v in tk.request.args.items() if k in KEPT]
    params.append(("page", match.group(1)))
    return f"{catalog_uri()}{tk.request.path}?{urlencode(params)}"


def _pagination(query: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    info = dcat_logic._pagination_info(query, data_dict)
    return {k: _encoded(v) if isinstance(v, str) else v for k, v in info.items()}


def _catalog_action(name: str):
    @tk.chained_action
    @tk.side_effect_free
    def action(original, context: dict[str, Any], data_dict: dict[str, Any]):
        tk.check_access(name, context, data_dict)
        query = dcat_logic._search_ckan_datasets(context, data_dict)
        serializer = RDFSerializer(profiles=data_dict.get("profiles"))
        return serializer.serialize_catalog(
            {},
            query["results"],
            _format=data_dict.get("format"),
            pagination_info=_pagination(query, data_dict),
        )

    action.__name__ = name
    return action


def get_actions() -> dict[str, Any]:
    return {name: _catalog_action(name) for name in ("dcat_catalog_show", "dcat_catalog_search")}
