# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("", views.start, name="start"),
    path("t/<slug:slug>/", views.tenant_home, name="tenant"),
    path("t/<slug:slug>/emblem.svg", views.tenant_emblem, name="tenant_emblem"),
]
