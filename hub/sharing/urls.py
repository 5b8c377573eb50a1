# SPDX-License-Identifier: EUPL-1.2
"""The sharing pages of a tenant: stations of every system in its area (a list, the map an
addition), and for staff the tenant's own fleets."""

from django.urls import path

from hub.sharing import views

app_name = "sharing"
urlpatterns = [
    path("t/<slug:slug>/sharing/", views.index, name="index"),
    path("t/<slug:slug>/sharing/verwalten/", views.manage, name="manage"),
]
