# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "hub.tenancy"
    label = "tenancy"
    verbose_name = _("Mandanten")

    def ready(self) -> None:
        from hub.accounts.signals import claims_received
        from hub.core.registry import MapLayer, registry
        from hub.tenancy.api import router
        from hub.tenancy.catalog import public_datasets
        from hub.tenancy.permissions import FOUNDATION_ROLE_SETS
        from hub.tenancy.search import TenantSearch
        from hub.tenancy.services import on_claims

        claims_received.connect(on_claims, dispatch_uid="tenancy-memberships-from-claims")
        for name, roles in FOUNDATION_ROLE_SETS.items():
            registry.add_role_set(name, roles)
        registry.add_api("", router, sample="hub.tenancy.factories:isolation_sample")
        registry.add_public_datasets(public_datasets)
        registry.add_search(TenantSearch())
        registry.add_map_layer(
            MapLayer(
                name="gebiete",
                title=_("Gemeindegebiete"),
                url_name="api:tenant_areas",
                kind="area",
                per_tenant=False,
                color="#0b5394",
                order=10,
            )
        )
