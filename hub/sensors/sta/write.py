# SPDX-License-Identifier: EUPL-1.2
"""Creating SensorThings entities: Things (with Locations and Datastreams inline), Locations,
Sensors, ObservedProperties, Datastreams and Observations, by a caller with a writing role."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse

from connectors.base import PayloadInvalid
from hub.core import guard
from hub.core.errors import (
    Forbidden,
    Invalid,
    MethodNotAllowed,
    NotFound,
    TooLarge,
    Unauthenticated,
)
from hub.core.registry import registry
from hub.sensors import ingest
from hub.sensors import models as m
from hub.sensors.sta.entities import SETS, EntitySet
from hub.sensors.sta.query import Options
from hub.sensors.sta.read import SEGMENT, Reader
from hub.tenancy.context import system_context, tenant_context
from hub.tenancy.models import Tenant
from hub.tenancy.permissions import roles_on

MAX_BODY = 1024 * 1024
WRITERS = "sensor-writers"  # the role set (hub.sensors.apps)


def _body(request) -> dict:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise TooLarge(f"the body is larger than {MAX_BODY} bytes")
    doc = guard.load_json(request.body, limit=MAX_BODY)
    if not isinstance(doc, dict):
        raise Invalid("the body must be a JSON object")
    return doc


def _may_write_somewhere(reader: Reader) -> None:
    """Refuse a caller without a token, or without a writing role on the tenant in the path
    (or on any tenant, at the region's path), before the body is read."""
    principal = reader.caller.principal
    if principal is None:
        raise Unauthenticated("creating needs 'Authorization: Bearer <token>'")
    writers = registry.role_set(WRITERS)
    if reader.tenant is not None:
        _writer_tenant(reader, reader.tenant)
    elif not any(role in writers for _slug, role in principal.tenant_roles):
        raise Forbidden(f"{principal.name or principal.subject} may not write to any tenant")


def _writer_tenant(reader: Reader, tenant: Tenant | None) -> Tenant:
    principal = reader.caller.principal
    if principal is None:
        raise Unauthenticated("creating needs 'Authorization: Bearer <token>'")
    if tenant is None:
        raise Invalid("create Things at /t/<slug>/sta/v1.1/ (the tenant they belong to)")
    if not roles_on(principal, tenant) & registry.role_set(WRITERS):
        raise Forbidden(f"{principal.name or principal.subject} may not write to {tenant.slug}")
    return tenant


def _text(doc: dict, name: str, *, required: bool = True, limit: int = 200) -> str:
    value = doc.get(name, "")
    if required and not value:
        raise Invalid(f"{name} is missing")
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise Invalid(f"{name} must be a text of at most {limit} characters")
    return value


def _geometry(value: Any, name: str):
    try:
        return GEOSGeometry(json.dumps(value), srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise Invalid(f"{name} is not a GeoJSON geometry") from None


def _ref(model, doc: Any, tenant: Tenant, make, name: str):
    """An entity given by {"@iot.id": n} (of the same tenant) or inline (created)."""
    if not isinstance(doc, dict):
        raise Invalid(f"{name} must be an object")
    if "@iot.id" in doc:
        found = model.objects.filter(pk=doc["@iot.id"], tenant=tenant).first()
        if found is None:
            raise Invalid(f"no {name} {doc['@iot.id']!r} of {tenant.slug}")
        return found
    return make(doc, tenant)


def _location(doc: dict, tenant: Tenant) -> m.Location:
    return m.Location.objects.create(
        tenant=tenant,
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False, limit=4000),
        encoding_type=doc.get("encodingType") or m.GEOJSON,
        location=_geometry(doc.get("location"), "location"),
    )


def _feature(doc: dict, tenant: Tenant) -> m.FeatureOfInterest:
    return m.FeatureOfInterest.objects.create(
        tenant=tenant,
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False, limit=4000),
        encoding_type=doc.get("encodingType") or m.GEOJSON,
        feature=_geometry(doc.get("feature"), "feature"),
    )


def _sensor(doc: dict, tenant: Tenant) -> m.Sensor:
    return m.Sensor.objects.create(
        tenant=tenant,
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False, limit=4000),
        encoding_type=doc.get("encodingType") or "application/pdf",
        metadata=str(doc.get("metadata") or "")[:4000],
    )


def _property(doc: dict, tenant: Tenant) -> m.ObservedProperty:
    return m.ObservedProperty.objects.create(
        tenant=tenant,
        name=_text(doc, "name"),
        definition=_text(doc, "definition", limit=500),
        description=_text(doc, "description", required=False, limit=4000),
    )


def _datastream(doc: dict, tenant: Tenant, thing: m.Thing | None = None) -> m.Datastream:
    thing = thing or _ref(m.Thing, doc.get("Thing"), tenant, _thing, "Thing")
    unit = doc.get("unitOfMeasurement")
    if not isinstance(unit, dict):
        raise Invalid("unitOfMeasurement is missing (name, symbol, definition)")
    return m.Datastream.objects.create(
        tenant=tenant,
        thing=thing,
        sensor=_ref(m.Sensor, doc.get("Sensor"), tenant, _sensor, "Sensor"),
        observed_property=_ref(
            m.ObservedProperty, doc.get("ObservedProperty"), tenant, _property, "ObservedProperty"
        ),
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False, limit=4000),
        observation_type=doc.get("observationType") or m.Datastream.MEASUREMENT,
        unit_of_measurement=unit,
    )


def _thing(doc: dict, tenant: Tenant) -> m.Thing:
    thing = m.Thing.objects.create(
        tenant=tenant,
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False, limit=4000),
        properties=doc.get("properties") if isinstance(doc.get("properties"), dict) else {},
    )
    places = [
        _ref(m.Location, item, tenant, _location, "Location") for item in doc.get("Locations") or []
    ]
    if places:
        thing.place(*places)
    for item in doc.get("Datastreams") or []:
        if not isinstance(item, dict):
            raise Invalid("Datastreams must be objects")
        _datastream(item, tenant, thing)
    return thing


def create(request, reader: Reader, path: str) -> HttpResponse:
    """POST to an entity set: the new entity (201, with its Location)."""
    _may_write_somewhere(reader)  # before anything of the body is read
    doc = _body(request)
    segments = [s for s in path.split("/") if s]
    match = SEGMENT.match(segments[-1]) if segments else None
    if not match or match["id"]:
        raise MethodNotAllowed("POST to an entity set, e.g. Things or Datastreams(1)/Observations")
    name = match["name"]
    parent = SEGMENT.match(segments[0]) if len(segments) == 2 else None
    if len(segments) > 2 or (len(segments) == 2 and not (parent and parent["id"])):
        raise MethodNotAllowed(f"cannot create below {path[:80]!r}")
    if name == "Observations":
        return _create_observation(reader, doc, parent)
    makers = {
        "Things": _thing,
        "Locations": _location,
        "Sensors": _sensor,
        "ObservedProperties": _property,
        "Datastreams": _datastream,
        "FeaturesOfInterest": _feature,
    }
    if name not in makers or parent is not None:
        raise MethodNotAllowed(f"creating {name} here is not offered")
    tenant = _writer_tenant(reader, reader.tenant)
    try:
        with transaction.atomic(), tenant_context([tenant.pk]):
            made = makers[name](doc, tenant)
    except DatabaseError as exc:
        raise Invalid(f"could not store it: {exc}") from None
    return _created(reader, SETS[name], made.pk)


def _create_observation(reader: Reader, doc: dict, parent) -> HttpResponse:
    if parent is not None:
        if parent["name"] != "Datastreams":
            raise MethodNotAllowed("Observations are created below Datastreams(<id>)")
        datastream_id = int(parent["id"])
    else:
        ref = doc.get("Datastream")
        if not isinstance(ref, dict) or not isinstance(ref.get("@iot.id"), int):
            raise Invalid('Datastream: {"@iot.id": <id>} is missing')
        datastream_id = ref["@iot.id"]
    with system_context():
        stream = m.Datastream.objects.filter(pk=datastream_id).select_related("tenant").first()
    if stream is None or (reader.tenant is not None and stream.tenant_id != reader.tenant.pk):
        raise NotFound(f"no Datastream {datastream_id}")
    tenant = _writer_tenant(reader, stream.tenant)
    try:
        row = ingest.observation_row(
            stream.pk, tenant.pk, stream.numeric, doc, json.dumps(doc, sort_keys=True).encode()
        )
    except PayloadInvalid as exc:
        raise Invalid(str(exc)) from None
    with transaction.atomic(), tenant_context([tenant.pk]), connection.cursor() as cursor:
        if doc.get("FeatureOfInterest") is not None:  # else generated from the Location
            named = _ref(
                m.FeatureOfInterest, doc["FeatureOfInterest"], tenant, _feature, "FeatureOfInterest"
            )
            row = dataclasses.replace(row, feature_id=named.pk)
        ingest.write(cursor.cursor, [row])
        made = m.Observation.objects.filter(
            datastream_id=row.datastream_id,
            phenomenon_time=row.phenomenon_time,
            source_id=row.source_id,
        ).first()
    return _created(reader, SETS["Observations"], made.pk)


def _created(reader: Reader, entity: EntitySet, pk: int) -> HttpResponse:
    with system_context():
        row = entity.model.objects.get(pk=pk)
        body = reader.entity(entity, row, Options())
    response = JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})
    response["Location"] = reader.self_link(entity, pk)
    return response
