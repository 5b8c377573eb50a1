# SPDX-License-Identifier: EUPL-1.2
"""Factories of the sensor network (factory-boy): one way to set up things, datastreams and
devices, shared by `hub simulate sensors`, the tests, the benches and the isolation matrix.

    station(tenant, "Luftmessstation Markt", AIR, devices=[(Network.TTS, "1000...", "milesight")])

writes a Thing at a Location with one Datastream per value and the devices that feed them,
in the tenant's context; `build_stations()` makes many at once with bulk inserts (benches).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import factory
from django.contrib.gis.geos import Point
from django.db import transaction

from hub.core.registry import Sample
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
from hub.tenancy.context import tenant_context

UCUM = "http://unitsofmeasure.org/ucum.html"
# (value name in the payload, observed property, unit name, unit symbol)
Value = tuple[str, str, str, str]
AIR: tuple[Value, ...] = (
    ("temperature", "Lufttemperatur", "degree Celsius", "°C"),
    ("humidity", "Relative Luftfeuchte", "percent", "%"),
    ("co2", "CO2-Konzentration", "parts per million", "ppm"),
    ("battery", "Batteriestand", "percent", "%"),
    ("luminosity", "Helligkeit", "ratio", "1"),
)
TEMPERATURE: tuple[Value, ...] = (("temperature", "Lufttemperatur", "degree Celsius", "°C"),)


class _InTenant(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with tenant_context([kwargs["tenant"].pk]):
            return super()._create(model_class, *args, **kwargs)


class ThingFactory(_InTenant):
    class Meta:
        model = Thing

    name = factory.Sequence(lambda n: f"Messstelle {n}")


class SensorFactory(_InTenant):
    class Meta:
        model = Sensor
        django_get_or_create = ("tenant", "name")

    name = "Sensor"


class ObservedPropertyFactory(_InTenant):
    class Meta:
        model = ObservedProperty
        django_get_or_create = ("tenant", "name")

    name = "Lufttemperatur"
    definition = factory.LazyAttribute(
        lambda o: f"https://regionaler-datenhub.invalid/def/{o.name.lower().replace(' ', '-')}"
    )


class DatastreamFactory(_InTenant):
    class Meta:
        model = Datastream

    thing = factory.SubFactory(ThingFactory, tenant=factory.SelfAttribute("..tenant"))
    sensor = factory.SubFactory(SensorFactory, tenant=factory.SelfAttribute("..tenant"))
    observed_property = factory.SubFactory(
        ObservedPropertyFactory, tenant=factory.SelfAttribute("..tenant")
    )
    name = factory.LazyAttribute(lambda o: f"{o.thing.name}: {o.observed_property.name}")
    unit_of_measurement = {"name": "degree Celsius", "symbol": "°C", "definition": UCUM}


@dataclass
class Station:
    tenant: object
    thing: Thing
    streams: dict[str, Datastream]
    devices: list[Device]


def station(
    tenant,
    name: str,
    values: Sequence[Value] = TEMPERATURE,
    *,
    sensor: str = "Sensor",
    at: tuple[float, float] | None = None,
    devices: Sequence[tuple[str, str, str]] = (),
    public: bool = True,
    properties: dict | None = None,
) -> Station:
    """A Thing (at `at` = (lat, lon), or inside the tenant's area) with one Datastream per
    value and the devices (network, key, decoder) that feed them."""
    with transaction.atomic(), tenant_context([tenant.pk]):
        thing = ThingFactory(tenant=tenant, name=name, public=public, properties=properties or {})
        lat, lon = at or (tenant.boundary.point_on_surface.y, tenant.boundary.point_on_surface.x)
        thing.place(
            Location.objects.create(tenant=tenant, name=name, location=Point(lon, lat, srid=4326))
        )
        made_sensor = SensorFactory(tenant=tenant, name=sensor)
        streams = {
            value: DatastreamFactory(
                tenant=tenant,
                thing=thing,
                sensor=made_sensor,
                observed_property=ObservedPropertyFactory(tenant=tenant, name=prop),
                name=f"{name}: {prop}",
                unit_of_measurement={"name": unit, "symbol": symbol, "definition": UCUM},
            )
            for value, prop, unit, symbol in values
        }
        mapping = {value: stream.pk for value, stream in streams.items()}
        made_devices = [
            Device.objects.create(
                tenant=tenant,
                network=network,
                key=key,
                thing=thing,
                mapping=mapping,
                decoder=decoder,
            )
            for network, key, decoder in devices
        ]
    return Station(tenant, thing, streams, made_devices)


def build_stations(tenant, names: Sequence[str], keys: Sequence[str], value: str = "temperature"):
    """Many one-datastream MQTT stations at once (bulk inserts): [(thing, datastream)]."""
    with transaction.atomic(), tenant_context([tenant.pk]):
        sensor = SensorFactory(tenant=tenant, name="Temperaturfühler")
        prop = ObservedPropertyFactory(tenant=tenant, name="Lufttemperatur")
        things = Thing.objects.bulk_create(Thing(tenant=tenant, name=n) for n in names)
        streams = Datastream.objects.bulk_create(
            DatastreamFactory.build(tenant=tenant, thing=t, sensor=sensor, observed_property=prop)
            for t in things
        )
        Device.objects.bulk_create(
            Device(tenant=tenant, network=Network.MQTT, key=k, thing=t, mapping={value: s.pk})
            for k, t, s in zip(keys, things, streams, strict=False)
        )
    return list(zip(things, streams, strict=False))


def webhook_secret(tenant, secret: str) -> SensorNetwork:
    """The tenant's sensor network with this webhook secret (its hash is stored)."""
    with tenant_context([tenant.pk]):
        network, _ = SensorNetwork.objects.update_or_create(
            tenant=tenant,
            defaults={"webhook_secret_sha256": hashlib.sha256(secret.encode()).hexdigest()},
        )
    return network


def isolation_sample(tenant) -> Sample:
    """A private thing (not open data) with a datastream and a device, and the network's
    webhook secret: what another tenant must never see or feed."""
    marker = f"geheim-{uuid.uuid4().hex[:10]}"
    made = station(
        tenant,
        f"Privat {marker}",
        devices=[(Network.MQTT, f"dev-{marker}", "")],
        public=False,
    )
    webhook_secret(tenant, f"secret-{marker}")
    stream = made.streams["temperature"]
    return Sample(
        kwargs={
            "network": "tts",
            "datastream": stream.pk,
            "path": f"Things({made.thing.pk})",
            "path@POST": "Things",
        },
        marker=marker,
    )
