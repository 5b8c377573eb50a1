# SPDX-License-Identifier: EUPL-1.2
"""MQTT clients of the hub's own processes: one place that knows the broker and the hub's
credentials (HUB_MQTT_USER / HUB_MQTT_PASSWORD). Tenants' devices have users of their own,
named after the tenant, that may only use `hub/<tenant>/#` (hub.sensors.mqtt_users)."""

from __future__ import annotations

import paho.mqtt.client as mqtt
from django.conf import settings


def client(client_id: str = "", **options) -> mqtt.Client:
    """A paho client (callback API 2) with the hub's credentials; connect() it yourself."""
    made = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, **options)
    user, password = settings.HUB_MQTT_AUTH
    if user:
        made.username_pw_set(user, password)
    return made


def connect(made: mqtt.Client, keepalive: int = 30) -> mqtt.Client:
    host, port = settings.HUB_MQTT
    made.connect(host, port, keepalive=keepalive)
    return made
