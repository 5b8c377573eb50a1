# SPDX-License-Identifier: EUPL-1.2
from django.urls import re_path

from hub.sensors.sta import views

app_name = "sta"
urlpatterns = [
    re_path(r"^sta/v1\.1/(?P<path>.*)$", views.sta, name="region"),
    re_path(r"^t/(?P<slug>[^/]+)/sta/v1\.1/(?P<path>.*)$", views.sta, name="tenant"),
]
