# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.urls import include, path, re_path

from hub import health
from hub.api import api
from hub.sensors import webhooks as sensor_webhooks
from hub.sensors.sta import views as sta_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("", include("hub.accounts.urls")),
    path(
        "api/v1/t/<slug:slug>/sensoren/webhooks/<str:network>",
        sensor_webhooks.uplink,
        name="sensor-webhook",
    ),
    path("api/v1/", api.urls),
    re_path(r"^sta/v1\.1/(?P<path>.*)$", sta_views.sta, name="sta"),
    re_path(r"^t/(?P<slug>[^/]+)/sta/v1\.1/(?P<path>.*)$", sta_views.sta, name="sta-tenant"),
    path("open311/v2/", include("hub.participation.urls")),
    path("", include("hub.participation.web_urls")),
    path("", include("hub.consultations.web_urls")),
    path("", include("hub.tenancy.urls")),
]
