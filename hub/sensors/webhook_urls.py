# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.sensors import webhooks

app_name = "sensor_webhooks"
urlpatterns = [
    path("api/v1/t/<slug:slug>/sensoren/webhooks/<str:network>", webhooks.uplink, name="uplink"),
]
