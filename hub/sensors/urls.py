# SPDX-License-Identifier: EUPL-1.2
"""The sensor pages of a tenant, and the LoRaWAN networks' webhooks (their own namespace)."""

from django.urls import path

from hub.sensors import views

app_name = "sensors"
urlpatterns = [
    path("t/<slug:slug>/sensoren/", views.latest_page, name="latest"),
]
