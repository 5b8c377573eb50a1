# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("suche/", views.search, name="search"),
    path("konto/", views.account, name="account"),
    path("konto/loeschen/", views.delete_account, name="delete_account"),
    path("t/<slug:slug>/", views.tenant_home, name="tenant"),
    path("t/<slug:slug>/emblem.svg", views.tenant_emblem, name="tenant_emblem"),
]
