# SPDX-License-Identifier: EUPL-1.2
"""The plugin class only wires CKAN's interfaces to this package; the logic lives beside it."""

from __future__ import annotations

import ckan.plugins as p
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation


# ITranslation (inherit=True) finds the catalogues in i18n/<locale>/LC_MESSAGES next to this
# module; the local stack compiles them with msgfmt.
# Registers the options declared in config_declaration.yml next to this module.
@p.toolkit.blanket.config_declarations
class HaldenslebenPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IValidators)
    p.implements(p.IActions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ITranslation, inherit=True)

    # IConfigurer

    def update_config(self, config_: CKANConfig) -> None:
        from ckanext.haldensleben.validators import check_contributor_id

        p.toolkit.add_template_directory(config_, "templates")
        p.toolkit.add_public_directory(config_, "public")
        p.toolkit.add_resource("assets", "haldensleben")
        check_contributor_id(config_.get("ckanext.haldensleben.contributor_id"))

    # IValidators

    def get_validators(self):
        from ckanext.haldensleben.validators import get_validators

        return get_validators()

    # IActions

    def get_actions(self):
        from ckanext.haldensleben import actions
        from ckanext.haldensleben.dcat import actions as dcat_actions

        return {**actions.get_actions(), **dcat_actions.get_actions()}

    # IMiddleware

    def make_middleware(self, app, config):
        from ckanext.haldensleben.middleware import refuse_unusable_requests, security_headers

        app.before_request(refuse_unusable_requests)
        app.after_request(security_headers(config.get("ckanext.haldensleben.hub_url") or ""))
        return app

    # ITemplateHelpers

    def get_helpers(self):
        from ckanext.haldensleben import hierarchy

        return {
            "haldensleben_org_parents": hierarchy.template_parents,
            "haldensleben_org_members": hierarchy.template_members,
            "haldensleben_org_hub_url": hierarchy.template_hub_url,
        }


class HaldenslebenSearchPlugin(p.SingletonPlugin):
    """Dataset search on PostgreSQL full-text search instead of Solr (ADR 0006)."""

    p.implements(p.IConfigurer)
    p.implements(p.IActions)

    # IConfigurer

    def update_config(self, config_: CKANConfig) -> None:
        from ckanext.haldensleben.search import backend

        backend.install(config_)

    # IActions

    def get_actions(self):
        from ckanext.haldensleben.search.actions import package_search

        return {"package_search": package_search}


class HaldenslebenOidcPlugin(p.SingletonPlugin):
    """Sign-in through the region's Keycloak realm instead of CKAN's own passwords.

    Its settings (ckanext.haldensleben.oidc.*) are declared by the `haldensleben` plugin.
    """

    p.implements(p.IBlueprint)
    p.implements(p.IAuthenticator, inherit=True)

    # IBlueprint

    def get_blueprint(self):
        from ckanext.haldensleben.oidc.views import oidc

        return oidc

    # IAuthenticator

    def login(self):
        return p.toolkit.redirect_to("haldensleben_oidc.login")

    def logout(self):
        from ckanext.haldensleben.oidc.views import end_session_url

        url = end_session_url()
        p.toolkit.logout_user()
        return p.toolkit.redirect_to(url)
