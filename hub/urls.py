# SPDX-License-Identifier: EUPL-1.2
"""The root URLs: the platform's own, then every app's, as the registry lists them."""

from django.contrib import admin
from django.urls import include, path

from hub import health
from hub.api import api
from hub.core.registry import registry


def patterns(api_urls=None) -> list:
    """The platform's URLs, then every registered app's (a test builds them again after it
    registered an app of its own)."""
    return [
        path("healthz", health.healthz, name="healthz"),
        path("admin/", admin.site.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("oidc/", include("mozilla_django_oidc.urls")),
        path("api/v1/", api_urls or api.urls),
        *(
            path(entry.prefix, include(entry.module, namespace=entry.namespace))
            for entry in registry.urls
        ),
    ]


urlpatterns = patterns()

handler400 = "hub.core.views.bad_request"
handler403 = "hub.core.views.permission_denied"
handler404 = "hub.core.views.page_not_found"
handler500 = "hub.core.views.server_error"
