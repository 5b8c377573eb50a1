# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "hub.tenancy"
    label = "tenancy"
    verbose_name = _("Mandanten")

    def ready(self) -> None:
        from hub.registry import registry
        from hub.tenancy.api import router
        from hub.tenancy.catalog import public_datasets
        from hub.tenancy.permissions import Forbidden, forbidden_response
        from hub.tenancy.services import MemberError

        registry.add_api("", router)
        registry.add_public_datasets(public_datasets)
        registry.add_api_error(Forbidden, forbidden_response)
        registry.add_api_error(
            MemberError,
            lambda request, exc: JsonResponse({"detail": exc.reason}, status=exc.status),
        )
