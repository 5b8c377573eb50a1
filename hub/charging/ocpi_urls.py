# SPDX-License-Identifier: EUPL-1.2
"""OCPI 2.2.1 (hub.charging.ocpi_views), mounted at /ocpi/."""

from django.urls import path

from hub.charging import ocpi_views as views

app_name = "ocpi"
LOCATION = "2.2.1/locations/<str:country_code>/<str:party_id>/<str:location_id>"
urlpatterns = [
    path("versions", views.versions, name="versions"),
    path("2.2.1", views.details, name="details"),
    path("2.2.1/credentials", views.credentials, name="credentials"),
    path(LOCATION, views.locations, name="location"),
    path(f"{LOCATION}/<str:evse_uid>", views.locations, name="evse"),
    path(f"{LOCATION}/<str:evse_uid>/<str:connector_id>", views.locations, name="connector"),
]
