# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("konto/", views.account, name="account"),
    path("konto/loeschen/", views.delete_account, name="delete"),
]
