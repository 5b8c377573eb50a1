# SPDX-License-Identifier: EUPL-1.2
"""The one place where CKAN's search is bypassed (ADR 0006): Solr's connection is swapped out.

CKAN 2.12 has no search-backend interface. Its index and query classes get their Solr
connection from `make_connection()`, imported by name into four modules; replacing that name
with the PostgreSQL-backed connection keeps everything else of CKAN's search code in place.
"""

from __future__ import annotations

from ckan.lib import search
from ckan.lib.search import common, index, query

from ckanext.haldensleben.search.connection import PostgresSearch

PLACEHOLDER_SOLR_URL = "http://127.0.0.1:1/solr-not-used"


def make_connection(decode_dates: bool = True) -> PostgresSearch:
    return PostgresSearch()


def install(config) -> None:
    """Route CKAN's search to PostgreSQL; call from IConfigurer.update_config."""
    for module in (common, index, query, search):
        module.make_connection = make_connection
    # Nothing to check at start-up: there is no Solr, and the table is created on first use.
    search.check_solr_schema_version = lambda *args, **kwargs: False
    # CKAN 2.12 declares solr_url as required even when nothing uses it.
    if not config.get("solr_url"):
        config["solr_url"] = PLACEHOLDER_SOLR_URL
