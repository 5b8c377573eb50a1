# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from hub.sensors import factories
from hub.sensors.models import Datastream, Network, Thing

# The decoded values of the Milesight AM103, each its own observed property (named as the value).
VALUES = [(key, key, unit, symbol) for key, _, unit, symbol in factories.AIR]
LORAWAN = Path(settings.HUB_DATA_DIR) / "lorawan"


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
    made = factories.station(
        tenant,
        name,
        VALUES,
        sensor="Milesight AM103",
        at=(52.2894, 11.4097),
        devices=devices,
    )
    secret = f"geheim-{tenant.slug}"
    factories.webhook_secret(tenant, secret)
    return Station(tenant, made.thing, made.streams, secret)


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
