# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from hub.sensors.models import (
    Datastream,
    Device,
    Location,
    Network,
    ObservedProperty,
    Sensor,
    SensorNetwork,
    Thing,
)
from hub.tenancy.context import system_context

LORAWAN = Path(settings.HUB_DATA_DIR) / "lorawan"
CELSIUS = {"name": "degree Celsius", "symbol": "°C", "definition": "ucum:Cel"}


def sample(name: str) -> dict:
    return json.loads((LORAWAN / name).read_text("utf-8"))


@dataclass
class Station:
    """A tenant's air-quality station (Milesight AM103) with four datastreams."""

    tenant: object
    thing: Thing
    streams: dict[str, Datastream]
    secret: str


def station(tenant, name: str, devices: list[tuple[str, str, str]]) -> Station:
    with system_context():
        thing = Thing.objects.create(tenant=tenant, name=name)
        here = Location.objects.create(
            tenant=tenant, name=name, location=Point(11.4097, 52.2894, srid=4326)
        )
        thing.locations.add(here)
        sensor = Sensor.objects.create(tenant=tenant, name="Milesight AM103")
        streams = {}
        for key, unit in (
            ("temperature", CELSIUS),
            ("humidity", {"name": "percent", "symbol": "%"}),
            ("co2", {"name": "parts per million", "symbol": "ppm"}),
            ("battery", {"name": "percent", "symbol": "%"}),
            ("luminosity", {"name": "ratio", "symbol": "1"}),
        ):
            prop = ObservedProperty.objects.create(
                tenant=tenant, name=key, definition=f"https://example.org/def/{key}"
            )
            streams[key] = Datastream.objects.create(
                tenant=tenant,
                thing=thing,
                sensor=sensor,
                observed_property=prop,
                name=f"{name}: {key}",
                unit_of_measurement=unit,
            )
        mapping = {key: stream.pk for key, stream in streams.items()}
        for network, key, decoder in devices:
            Device.objects.create(
                tenant=tenant,
                network=network,
                key=key,
                thing=thing,
                mapping=mapping,
                decoder=decoder,
            )
        secret = f"geheim-{tenant.slug}"
        SensorNetwork.objects.create(
            tenant=tenant, webhook_secret_sha256=hashlib.sha256(secret.encode()).hexdigest()
        )
    return Station(tenant, thing, streams, secret)


@pytest.fixture
def stations(seeded):
    return {
        "haldensleben": station(
            seeded["haldensleben"],
            "Luftmessstation Markt",
            [
                (Network.TTS, "1000000000000001", "milesight"),
                (Network.CHIRPSTACK, "1000000000000001", "milesight"),
                (Network.TTS, "0004a30b001c0530", ""),
                (Network.MQTT, "markt-1", ""),
            ],
        ),
        "barleben": station(
            seeded["barleben"],
            "Luftmessstation Rathaus",
            [(Network.CHIRPSTACK, "0101010101010101", "")],
        ),
    }


from tests.identity.conftest import token_realm  # noqa: E402, F401 - the fixture, shared
