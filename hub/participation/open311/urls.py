# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.participation.open311 import views as open311

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.services_list, name="services"),
    path("services/<slug:code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests_view, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:token>.<str:fmt>", open311.token_detail, name="token"),
    path("media/<int:report_id>/<int:photo_id>.jpg", open311.photo, name="photo"),
]
