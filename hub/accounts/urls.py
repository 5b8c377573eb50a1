# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entwickler/", views.portal, name="portal"),
    path("entwickler/neu/", views.register_client, name="register_client"),
    path("entwickler/<str:client_id>/rotieren/", views.rotate_client, name="rotate_client"),
    path("entwickler/<str:client_id>/widerrufen/", views.revoke_client, name="revoke_client"),
]
