# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from tests.core.throwaway import views

app_name = "throwaway"
urlpatterns = [
    path("t/<slug:slug>/wegwerf/", views.page, name="page"),
    path("t/<slug:slug>/wegwerf/intern/", views.staff_page, name="staff"),
]
