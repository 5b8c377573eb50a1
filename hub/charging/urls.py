# SPDX-License-Identifier: EUPL-1.2
"""The charging pages of a tenant: its chargers with live status (list and map), and for staff
the review of operators' Locations the hub could not link to the register."""

from django.urls import path

from hub.charging import views

app_name = "charging"
urlpatterns = [
    path("t/<slug:slug>/laden/", views.index, name="index"),
    path("t/<slug:slug>/laden/zuordnung/", views.review_page, name="review"),
]
