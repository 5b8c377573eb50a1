# SPDX-License-Identifier: EUPL-1.2
"""Sensor data of a tenant as open data: the latest value of every datastream, a datastream's
observations over a time range, and a day of all datastreams, as JSON and CSV. The catalogue
bridge publishes one dataset per tenant with a sensor network (public_datasets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from psycopg.types.datetime import TimestamptzLoader

from hub.core import guard
from hub.core.errors import Invalid
from hub.core.exports import csv_response
from hub.core.registry import PublicDataset, Resource
from hub.geo.publishers import ogc_resources
from hub.sensors import devices as device_service
from hub.sensors.models import Datastream, Device, SensorNetwork
from hub.tenancy.context import system_context, tenant_context
from hub.tenancy.permissions import TenantRoles
from hub.tenancy.selectors import active_tenants

router = Router(tags=["sensors"])
MAX_RANGE = dt.timedelta(days=366)
MAX_ROWS = 1_000_000


def _tenant(slug: str):
    return get_object_or_404(active_tenants().prefetch_related(None), slug=slug)


def latest(tenant) -> list[dict]:
    """Every datastream of the tenant with its newest observation (one query)."""
    with tenant_context([tenant.pk]), connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.name, t.name, d.unit_of_measurement ->> 'symbol', l.phenomenon_time,"
            " l.result, l.result_json FROM sensors_datastream d"
            " JOIN sensors_thing t ON t.id = d.thing_id"
            " LEFT JOIN sensors_latest l ON l.datastream_id = d.id"
            # Open data: the public things only (a private one is the tenant's own business).
            " WHERE d.tenant_id = %s AND t.public ORDER BY t.name, d.name, d.id",
            [tenant.pk],
        )
        return [
            {
                "datastream": row[0],
                "name": row[1],
                "thing": row[2],
                "unit": row[3] or "",
                "time": row[4].isoformat() if row[4] else None,
                "result": row[5] if row[5] is not None else row[6],
            }
            for row in cursor.fetchall()
        ]


@router.get(
    "/t/{slug}/sensoren/aktuell.json",
    url_name="sensors_latest",
    summary="The latest value of every datastream of a tenant",
)
def latest_json(request, slug: str):
    tenant = _tenant(slug)
    return JsonResponse({"tenant": tenant.slug, "datastreams": latest(tenant)})


def _moment(raw: str | None, name: str, default: dt.datetime) -> dt.datetime:
    """A date-time (RFC 3339, as OpenAPI's format) or a date (its midnight, UTC), 1900-2200."""
    if not raw:
        return default
    text = raw.strip()
    if len(text) == 10:
        return guard.parse_datetime(f"{text}T00:00:00Z", name)
    return guard.parse_datetime(text.upper(), name)


def _rows(tenant, start: dt.datetime, end: dt.datetime, datastream: int | None) -> Iterator:
    if end <= start:
        raise Invalid("bis must come after von", field="bis")
    if end - start > MAX_RANGE:
        raise Invalid(f"at most {MAX_RANGE.days} days at once", field="bis")
    where = (
        "tenant_id = %s AND phenomenon_time >= %s AND phenomenon_time < %s AND datastream_id IN"
        " (SELECT d.id FROM sensors_datastream d JOIN sensors_thing t ON t.id = d.thing_id"
        "  WHERE t.public)"
    )
    params = [tenant.pk, start, end]
    if datastream is not None:
        where += " AND datastream_id = %s"
        params.append(datastream)
    with tenant_context([tenant.pk]), connection.cursor() as cursor:
        # psycopg's C loader: Django's own timestamptz loader, a Python subclass that sets the
        # time zone of each value again, costs about 3 µs a value. The session is in UTC (USE_TZ),
        # so the values are UTC all the same (datetime.timezone.utc).
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(
            "SELECT datastream_id, phenomenon_time, result, result_json"  # noqa: S608 - fixed text
            f" FROM sensors_observation WHERE {where}"
            " ORDER BY datastream_id, phenomenon_time LIMIT %s",
            [*params, MAX_ROWS],
        )
        for ds, when, result, result_json in cursor.fetchall():
            yield ds, when.isoformat(), result if result is not None else result_json


@router.get(
    "/t/{slug}/sensoren/datenstroeme/{datastream}/beobachtungen.csv",
    url_name="sensors_datastream_csv",
    summary="A datastream's observations between von and bis (ISO 8601; default: last 24 h)",
)
def datastream_csv(
    request,
    slug: str,
    datastream: int,
    von: str = Query("", format="date-time", max_length=40),
    bis: str = Query("", format="date-time", max_length=40),
):
    tenant = _tenant(slug)
    with tenant_context([tenant.pk]):
        get_object_or_404(Datastream, pk=datastream, tenant=tenant, thing__public=True)
    now = dt.datetime.now(dt.UTC)
    end = _moment(bis, "bis", now)
    start = _moment(von, "von", end - dt.timedelta(days=1))
    return csv_response(
        ("datastream", "phenomenon_time", "result"), _rows(tenant, start, end, datastream)
    )


@router.get(
    "/t/{slug}/sensoren/tag.csv",
    url_name="sensors_day_csv",
    summary="All observations of a tenant on one day (datum=YYYY-MM-DD, default yesterday, UTC)",
)
def day_csv(request, slug: str, datum: str = Query("", format="date", max_length=10)):
    tenant = _tenant(slug)
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    if datum:
        start = guard.parse_datetime(f"{datum}T00:00:00Z", "datum")
    else:
        start = dt.datetime.combine(yesterday, dt.time(), tzinfo=dt.UTC)
    return csv_response(
        ("datastream", "phenomenon_time", "result"),
        _rows(tenant, start, start + dt.timedelta(days=1), None),
    )


def public_datasets() -> Iterator[PublicDataset]:
    """One dataset per tenant with a sensor network."""
    with system_context():
        slugs = set(SensorNetwork.objects.values_list("tenant__slug", flat=True))
    for tenant in active_tenants().prefetch_related(None).filter(slug__in=slugs).order_by("slug"):
        base = f"{settings.HUB_PUBLIC_URL}/api/v1/t/{tenant.slug}/sensoren"
        yield PublicDataset(
            identifier="sensoren",
            tenant=tenant.slug,
            title=f"Sensordaten: {tenant.display_name}",
            notes=(
                f"Messwerte des Sensornetzes von {tenant.name}: Straßenbeleuchtung, "
                "Luftqualität, Besucherzählung und Energie, laufend aktualisiert; die "
                "neuesten Werte jedes Datenstroms und die Messwerte eines Tages als CSV."
            ),
            license_id="dl-zero-de/2.0",
            tags=("Sensoren", "Umwelt", "Energie"),
            themes=("ENVI", "ENER"),
            resources=(
                Resource(name="Neueste Werte (JSON)", url=f"{base}/aktuell.json", format="JSON"),
                Resource(name="Messwerte von gestern (CSV)", url=f"{base}/tag.csv", format="CSV"),
                *ogc_resources(tenant.slug, "messstellen"),
            ),
        )


# -- registering devices (people and clients with a writing role on the tenant) ---------------

WRITERS = TenantRoles.of("sensor-writers")


class DeviceIn(Schema):
    network: str
    key: str
    thing: int
    mapping: dict[str, int]
    decoder: str = ""


class DeviceOut(Schema):
    network: str
    key: str
    thing: int
    mapping: dict[str, int]
    decoder: str


def _out(device: Device) -> dict:
    return {
        "network": device.network,
        "key": device.key,
        "thing": device.thing_id,
        "mapping": device.mapping,
        "decoder": device.decoder,
    }


@router.get(
    "/t/{slug}/sensoren/geraete",
    response=list[DeviceOut],
    auth=WRITERS,
    url_name="sensor_devices",
    summary="The tenant's registered devices",
)
def list_devices(request, slug: str):
    with tenant_context([request.tenant.pk]):
        return [_out(d) for d in Device.objects.filter(tenant=request.tenant).order_by("pk")]


@router.post(
    "/t/{slug}/sensoren/geraete",
    response={201: DeviceOut},
    auth=WRITERS,
    url_name="sensor_device_register",
    summary="Register (or change) a device: network, key, thing and value → datastream",
)
def register_device(request, slug: str, body: DeviceIn):
    with tenant_context([request.tenant.pk]):
        device = device_service.register(
            request.tenant,
            network=body.network,
            key=body.key,
            thing_id=body.thing,
            mapping=body.mapping,
            decoder=body.decoder,
        )
    return Status(201, _out(device))
