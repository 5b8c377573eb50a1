# SPDX-License-Identifier: EUPL-1.2
"""The plugin class only wires CKAN's interfaces to this package; the logic lives beside it."""

from __future__ import annotations

import ckan.plugins as p
from ckan.common import CKANConfig


# Registers the options declared in config_declaration.yml next to this module.
@p.toolkit.blanket.config_declarations
class HaldenslebenPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_: CKANConfig) -> None:
        p.toolkit.add_template_directory(config_, "templates")
        p.toolkit.add_public_directory(config_, "public")


class HaldenslebenSearchPlugin(p.SingletonPlugin):
    """Dataset search on PostgreSQL full-text search instead of Solr (ADR 0006)."""

    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config_: CKANConfig) -> None:
        from ckanext.haldensleben.search import backend

        backend.install(config_)
