# SPDX-License-Identifier: EUPL-1.2
"""`hub simulate sensors`: the demo sensor network of the local stack.

Creates (once) for the seed tenants the sensor sites the city network connects — street lights,
air quality, WLAN visitor counters and energy meters — as SensorThings things with their
datastreams and MQTT devices, and publishes plausible readings over MQTT (QoS 1) to
`hub/<tenant>/devices/<device>/up`, where `hub ingest` picks them up like real devices.

    hub simulate sensors --once            one round of readings (make up does this)
    hub simulate sensors --interval 10     a round every 10 s until Ctrl-C
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.core import mqtt as hub_mqtt
from hub.sensors import factories, webhooks
from hub.sensors.models import Device, Network, SensorNetwork
from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant

# kind → (sensor, [(value, observed property, unit name, symbol)])
KINDS = {
    "licht": (
        "Leuchtensteuerung",
        [("power", "Leistungsaufnahme", "Watt", "W"), ("on", "Schaltzustand", "an/aus", "1")],
    ),
    "luft": (
        "Luftsensor (Milesight AM103)",
        [
            ("temperature", "Lufttemperatur", "degree Celsius", "°C"),
            ("humidity", "Relative Luftfeuchte", "percent", "%"),
            ("co2", "CO2-Konzentration", "parts per million", "ppm"),
        ],
    ),
    "wlan": ("WLAN-Hotspot", [("visitors", "Verbundene Geräte", "count", "1")]),
    "energie": ("Stromzähler", [("energy", "Zählerstand Wirkenergie", "kilowatt hour", "kWh")]),
}
# Seed tenants and their sites: (kind, name, lat, lon)
SITES = {
    "haldensleben": [
        ("licht", "Straßenbeleuchtung Markt", 52.2894, 11.4097),
        ("licht", "Straßenbeleuchtung Hagenstraße", 52.2905, 11.4123),
        ("luft", "Luftmessstation Marktplatz", 52.2890, 11.4100),
        ("wlan", "WLAN-Hotspot Rathaus", 52.2896, 11.4089),
        ("energie", "Stromzähler Rathaus", 52.2896, 11.4089),
    ],
    "barleben": [
        ("luft", "Luftmessstation Breiteweg", 52.2035, 11.6230),
        ("energie", "Stromzähler Mittellandhalle", 52.2010, 11.6195),
    ],
    "wolmirstedt": [
        ("licht", "Straßenbeleuchtung Schloßdomäne", 52.2480, 11.6280),
        ("wlan", "WLAN-Hotspot Bahnhof", 52.2445, 11.6300),
    ],
}


def _key(slug: str, name: str) -> str:
    return f"demo-{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def setup(stdout) -> list[tuple[str, str, str]]:
    """The demo network (created when missing); [(tenant slug, device key, kind)]."""
    devices = []
    with system_context():
        for slug, sites in SITES.items():
            tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
            if tenant is None:
                continue
            if not SensorNetwork.objects.filter(tenant=tenant).exists():
                secret = webhooks.new_secret(tenant)
                stdout.write(f"  {slug}: webhook secret (shown once): {secret}")
            for kind, name, lat, lon in sites:
                key = _key(slug, name)
                devices.append((slug, key, kind))
                if Device.objects.filter(network=Network.MQTT, key=key).exists():
                    continue
                sensor_name, values = KINDS[kind]
                factories.station(
                    tenant,
                    name,
                    [(v, prop, unit, symbol) for v, prop, unit, symbol in values],
                    sensor=sensor_name,
                    at=(lat, lon),
                    devices=[(Network.MQTT, key, "")],
                    properties={"demo": True, "kind": kind},
                )
    return devices


def reading(kind: str, key: str, now: dt.datetime) -> dict:
    hour = now.hour + now.minute / 60
    rng = random.Random(f"{key}:{now.isoformat()}")  # noqa: S311 - demo values, not secrets
    dark = hour < 7 or hour > 17
    if kind == "licht":
        return {"power": round(rng.uniform(38, 42), 1) if dark else 0.0, "on": 1 if dark else 0}
    if kind == "luft":
        day = math.sin((hour - 9) / 24 * 2 * math.pi)
        return {
            "temperature": round(6 + 4 * day + rng.uniform(-0.3, 0.3), 1),
            "humidity": round(80 - 15 * day + rng.uniform(-2, 2), 1),
            "co2": round(420 + 30 * max(day, 0) + rng.uniform(-5, 5)),
        }
    if kind == "wlan":
        return {"visitors": max(0, round(40 * max(math.sin((hour - 7) / 14 * math.pi), 0)))}
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return {"energy": round((now - start).total_seconds() / 3600 * 2.5, 2)}  # 2.5 kW base load


class Command(BaseCommand):
    help = "The demo sensor network: create it and publish readings over MQTT."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["sensors"])
        parser.add_argument("--once", action="store_true", help="one round of readings")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")

    def handle(self, *args, once: bool, interval: float, **options):
        devices = setup(self.stdout)
        if not devices:
            raise CommandError("none of the seed tenants exists: run `hub tenants apply` first")
        host, port = settings.HUB_MQTT
        client = hub_mqtt.client("hub-simulate")
        try:
            client.connect(host, port)
        except OSError as exc:
            raise CommandError(f"MQTT broker {host}:{port} not reachable: {exc}") from None
        client.loop_start()
        rounds = 0
        try:
            while True:
                now = dt.datetime.now(dt.UTC).replace(microsecond=0)
                sent = [
                    client.publish(
                        f"hub/{slug}/devices/{key}/up",
                        json.dumps({"time": now.isoformat(), **reading(kind, key, now)}),
                        qos=1,
                    )
                    for slug, key, kind in devices
                ]
                for message in sent:  # the broker has them before we go on (or leave)
                    message.wait_for_publish(10)
                rounds += 1
                if once:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
        finally:
            client.loop_stop()
            client.disconnect()
        self.stdout.write(
            self.style.SUCCESS(
                f"Sensors: {len(devices)} demo devices, {rounds} round(s) of readings published."
            )
        )
