# SPDX-License-Identifier: EUPL-1.2
"""Creating, changing and deleting SensorThings entities (conformance class Create-Update-Delete
of SensorThings 1.1, as the OGC suite ets-sta10 checks it), by a caller with a writing role on
the entity's tenant.

- POST to an entity set creates, with related entities given by `{"@iot.id": n}` (of the same
  tenant) or inline (deep insert: a Thing with Locations and Datastreams, a Datastream with its
  Sensor, ObservedProperty and Observations, an Observation with its FeatureOfInterest). All of
  one request is stored in one transaction, or nothing is.
- PATCH of an entity changes the properties given; links are changed by `{"@iot.id": n}` only
  (an inline entity in a PATCH is refused, as the standard asks). A Thing's new Locations
  replace its old ones and are recorded as a HistoricalLocation.
- DELETE of an entity deletes what cannot be without it: a Thing's Datastreams and
  HistoricalLocations, a Datastream's Observations, a Sensor's or ObservedProperty's
  Datastreams, a FeatureOfInterest's Observations, a Location's HistoricalLocations that name
  no other Location.

An Observation needs a FeatureOfInterest: named, or made from its Thing's Location (as
FROST-Server does); with neither, it is refused.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from connectors.base import PayloadInvalid
from connectors.lorawan import number, parse_time
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
# What a property's value must be: a parser from the JSON value (and the property's name, for
# the message) to what the model stores.
Parser = Callable[[Any, str], Any]


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
        raise Unauthenticated("writing needs 'Authorization: Bearer <token>'")
    writers = registry.role_set(WRITERS)
    if reader.tenant is not None:
        _writer_tenant(reader, reader.tenant)
    elif not any(role in writers for _slug, role in principal.tenant_roles):
        raise Forbidden(f"{principal.name or principal.subject} may not write to any tenant")


def _writer_tenant(reader: Reader, tenant: Tenant | None) -> Tenant:
    principal = reader.caller.principal
    if principal is None:
        raise Unauthenticated("writing needs 'Authorization: Bearer <token>'")
    if tenant is None:
        raise Invalid("create Things at /t/<slug>/sta/v1.1/ (the tenant they belong to)")
    if not roles_on(principal, tenant) & registry.role_set(WRITERS):
        raise Forbidden(f"{principal.name or principal.subject} may not write to {tenant.slug}")
    return tenant


# -- the properties: what each is, and which one an entity set takes ------------------------


def _text(limit: int = 200) -> Parser:
    def parse(value: Any, name: str) -> str:
        if not isinstance(value, str) or len(value) > limit or "\x00" in value:
            raise Invalid(f"{name} must be a text of at most {limit} characters")
        return value

    return parse


def _name(value: Any, name: str) -> str:
    if not value:
        raise Invalid(f"{name} must not be empty")
    return _text()(value, name)


def _geometry(value: Any, name: str):
    if not isinstance(value, dict):
        raise Invalid(f"{name} must be a GeoJSON geometry (an object with type and coordinates)")
    try:
        return GEOSGeometry(json.dumps(value), srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise Invalid(f"{name} is not a GeoJSON geometry") from None


def _object(value: Any, name: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{name} must be a JSON object")
    return value


def _unit(value: Any, name: str) -> dict:
    unit = _object(value, name)
    if not all(isinstance(unit.get(k, ""), str) for k in ("name", "symbol", "definition")):
        raise Invalid(f"{name}: name, symbol and definition are texts")
    return unit


def _time(value: Any, name: str):
    try:
        when = parse_time(value, name)
        ingest._check_time(when, ingest.EARLIEST)
    except PayloadInvalid as exc:
        raise Invalid(str(exc)) from None
    return when


DESCRIPTION = _text(4000)
# JSON property → (model field, parser), per entity set; REQUIRED: what a POST must give.
SETTABLE: dict[str, dict[str, tuple[str, Parser]]] = {
    "Things": {
        "name": ("name", _name),
        "description": ("description", DESCRIPTION),
        "properties": ("properties", _object),
    },
    "Locations": {
        "name": ("name", _name),
        "description": ("description", DESCRIPTION),
        "encodingType": ("encoding_type", _text(100)),
        "location": ("location", _geometry),
        "properties": ("properties", _object),
    },
    "HistoricalLocations": {"time": ("time", _time)},
    "Sensors": {
        "name": ("name", _name),
        "description": ("description", DESCRIPTION),
        "encodingType": ("encoding_type", _text(100)),
        "metadata": ("metadata", DESCRIPTION),
        "properties": ("properties", _object),
    },
    "ObservedProperties": {
        "name": ("name", _name),
        "definition": ("definition", _text(500)),
        "description": ("description", DESCRIPTION),
        "properties": ("properties", _object),
    },
    "Datastreams": {
        "name": ("name", _name),
        "description": ("description", DESCRIPTION),
        "observationType": ("observation_type", _text(300)),
        "unitOfMeasurement": ("unit_of_measurement", _unit),
        "observedArea": ("observed_area", _geometry),
        "properties": ("properties", _object),
    },
    "FeaturesOfInterest": {
        "name": ("name", _name),
        "description": ("description", DESCRIPTION),
        "encodingType": ("encoding_type", _text(100)),
        "feature": ("feature", _geometry),
        "properties": ("properties", _object),
    },
}
REQUIRED = {
    "Things": ("name",),
    "Locations": ("name", "encodingType", "location"),
    "HistoricalLocations": ("time",),
    "Sensors": ("name", "encodingType"),
    "ObservedProperties": ("name", "definition"),
    "Datastreams": ("name", "unitOfMeasurement"),
    "FeaturesOfInterest": ("name", "encodingType", "feature"),
}
# What an Observation takes (checked by ingest.observation_row, and on PATCH).
OBSERVATION = ("phenomenonTime", "resultTime", "result")
# Emptied when a PATCH sets them to null; any other property set to null is refused.
EMPTY: dict[str, Any] = {"description": "", "metadata": "", "properties": {}, "observedArea": None}
# Annotations a client may send back as it read them; they change nothing.
IGNORED = ("@iot.id", "@iot.selfLink")


def _settable(entity: EntitySet):
    return OBSERVATION if entity.name == "Observations" else SETTABLE[entity.name]


def _links(doc: dict, entity: EntitySet) -> dict[str, Any]:
    """The navigation properties of `doc`; an unknown name is refused."""
    links = {}
    for key, value in doc.items():
        if key in entity.navs:
            links[key] = value
        elif key not in _settable(entity) and not (
            key in IGNORED or key.endswith("@iot.navigationLink")
        ):
            known = sorted({*_settable(entity), *entity.navs})
            raise Invalid(
                f"{entity.single} has no property or link {key[:60]!r}; known: {', '.join(known)}"
            )
    return links


def _assign(obj, entity: EntitySet, doc: dict, *, new: bool) -> None:
    settable = SETTABLE[entity.name]
    if new:
        missing = [name for name in REQUIRED[entity.name] if doc.get(name) in (None, "")]
        if missing:
            raise Invalid(f"{entity.single}: {', '.join(missing)} is missing")
    for key, value in doc.items():
        if key not in settable:
            continue
        attr, parse = settable[key]
        if value is None and key not in EMPTY:
            raise Invalid(f"{entity.single}: {key} cannot be null")
        setattr(obj, attr, EMPTY[key] if value is None else parse(value, key))


def _refs(value: Any, name: str) -> list:
    if not isinstance(value, list):
        raise Invalid(f"{name} must be a list")
    return value


def _id_of(doc: Any, name: str) -> int | None:
    """The id of a reference {"@iot.id": n}, or None for an inline entity."""
    if not isinstance(doc, dict):
        raise Invalid(f"{name} must be an object")
    if "@iot.id" not in doc:
        return None
    pk = doc["@iot.id"]
    if isinstance(pk, bool) or not isinstance(pk, int) or len(doc) != 1:
        raise Invalid(f'{name}: a reference is {{"@iot.id": <number>}} and nothing else')
    return pk


def _existing(model, pk: int, tenant: Tenant, name: str):
    found = model.objects.filter(pk=pk, tenant=tenant).first()
    if found is None:
        raise Invalid(f"no {name} {pk} of {tenant.slug}")
    return found


def _ref(set_name: str, doc: Any, tenant: Tenant, name: str, *, inline: bool = True):
    """An entity given by {"@iot.id": n} (of the same tenant) or inline (created)."""
    entity = SETS[set_name]
    pk = _id_of(doc, name)
    if pk is not None:
        return _existing(entity.model, pk, tenant, name)
    if not inline:
        raise Invalid(f'{name}: change a link with {{"@iot.id": <number>}}, not an entity inline')
    return _make(set_name, doc, tenant)


# -- creating ---------------------------------------------------------------------------------


def _make(set_name: str, doc: dict, tenant: Tenant, **given):
    """A new entity of `set_name` from `doc` with its inline and referenced relations."""
    if set_name == "Observations":
        return _observation(doc, tenant, given.get("datastream"))
    entity = SETS[set_name]
    links = _links(doc, entity)
    obj = entity.model(tenant=tenant, **given)
    _assign(obj, entity, doc, new=True)
    if set_name == "Datastreams":
        if "thing" not in given:
            obj.thing = _ref("Things", _required(links, "Thing"), tenant, "Thing")
        obj.sensor = _ref("Sensors", _required(links, "Sensor"), tenant, "Sensor")
        obj.observed_property = _ref(
            "ObservedProperties", _required(links, "ObservedProperty"), tenant, "ObservedProperty"
        )
    if set_name == "HistoricalLocations":
        obj.thing = _ref("Things", _required(links, "Thing"), tenant, "Thing", inline=False)
    allowed = {
        "Things": {"Locations", "Datastreams"},
        "Datastreams": {"Thing", "Sensor", "ObservedProperty", "Observations"},
        "HistoricalLocations": {"Thing", "Locations"},
        "Locations": {"Things"},
    }.get(set_name, set())
    refused = sorted(set(links) - allowed)
    if refused:
        raise Invalid(f"{entity.single}: {refused[0]} cannot be created with it")
    obj.save()
    _link_new(set_name, obj, links, tenant)
    return obj


def _link_new(set_name: str, obj, links: dict, tenant: Tenant) -> None:
    """The many-links of a new entity, made once it has an id."""
    if set_name == "Things":
        places = [
            _ref("Locations", item, tenant, "Location")
            for item in _refs(links.get("Locations", []), "Locations")
        ]
        if places:
            obj.place(*places)
        for item in _refs(links.get("Datastreams", []), "Datastreams"):
            _make("Datastreams", _object(item, "Datastreams"), tenant, thing=obj)
    elif set_name == "Locations":
        for item in _refs(links.get("Things", []), "Things"):
            _ref("Things", item, tenant, "Thing", inline=False).place(obj)
    elif set_name == "HistoricalLocations":
        places = [
            _ref("Locations", item, tenant, "Location", inline=False)
            for item in _refs(_required(links, "Locations"), "Locations")
        ]
        if not places:
            raise Invalid("HistoricalLocation: Locations must name at least one Location")
        obj.locations.add(*places)
    elif set_name == "Datastreams":
        for item in _refs(links.get("Observations", []), "Observations"):
            _observation(_object(item, "Observations"), tenant, obj)


def _required(links: dict, name: str) -> Any:
    if links.get(name) is None:
        raise Invalid(f"{name} is missing")
    return links[name]


def _observation(doc: dict, tenant: Tenant, stream: m.Datastream | None) -> m.Observation:
    """Store one Observation (in the caller's transaction): its FeatureOfInterest named,
    inline, or made from the Thing's Location."""
    links = _links(doc, SETS["Observations"])
    if stream is None:
        stream = _ref(
            "Datastreams", _required(links, "Datastream"), tenant, "Datastream", inline=False
        )
    elif "Datastream" in links:
        raise Invalid("Datastream is given by the path already")
    try:
        row = ingest.observation_row(
            stream.pk,
            tenant.pk,
            stream.numeric,
            {k: v for k, v in doc.items() if k not in links},
            json.dumps(doc, sort_keys=True).encode(),
            written=True,
        )
    except PayloadInvalid as exc:
        raise Invalid(str(exc)) from None
    if links.get("FeatureOfInterest") is not None:
        named = _ref("FeaturesOfInterest", links["FeatureOfInterest"], tenant, "FeatureOfInterest")
        row = dataclasses.replace(row, feature_id=named.pk)
    elif not m.Location.objects.filter(things__datastreams=stream).exists():
        raise Invalid(
            "the Observation names no FeatureOfInterest, and the Thing of its Datastream has no "
            "Location to make one from: give FeatureOfInterest or a Location of the Thing"
        )
    with connection.cursor() as cursor:
        ingest.write(cursor.cursor, [row])
    return m.Observation.objects.get(
        datastream_id=row.datastream_id,
        phenomenon_time=row.phenomenon_time,
        source_id=row.source_id,
    )


def create(request, reader: Reader, path: str) -> HttpResponse:
    """POST to an entity set: the new entity (201, with its Location)."""
    _may_write_somewhere(reader)  # before anything of the body is read
    doc = _body(request)
    segments = [s for s in path.split("/") if s]
    match = SEGMENT.match(segments[-1]) if segments else None
    if not match or match["id"] or match["name"] not in SETS:
        raise MethodNotAllowed("POST to an entity set, e.g. Things or Datastreams(1)/Observations")
    name = match["name"]
    parent = SEGMENT.match(segments[0]) if len(segments) == 2 else None
    if len(segments) > 2 or (len(segments) == 2 and not (parent and parent["id"])):
        raise MethodNotAllowed(f"cannot create below {path[:80]!r}")
    given: dict[str, Any] = {}
    if parent is not None:
        if (parent["name"], name) != ("Datastreams", "Observations"):
            raise MethodNotAllowed(
                "below an entity, only Datastreams(<id>)/Observations is created"
            )
        with system_context():
            stream = m.Datastream.objects.filter(
                SETS["Datastreams"].readable(reader.caller.tenants), pk=int(parent["id"])
            ).first()
        if stream is None or (reader.tenant is not None and stream.tenant_id != reader.tenant.pk):
            raise NotFound(f"no Datastream {parent['id']}")
        tenant = _writer_tenant(reader, stream.tenant)
        given["datastream"] = stream
    elif name == "Observations" and reader.tenant is None:
        tenant = _observation_tenant(reader, doc)
    else:
        tenant = _writer_tenant(reader, reader.tenant)
    try:
        with transaction.atomic(), tenant_context([tenant.pk]):
            made = _make(name, doc, tenant, **given)
    except IntegrityError as exc:
        raise Invalid(f"could not store it: {str(exc).splitlines()[0]}") from None
    except DatabaseError as exc:
        raise Invalid(f"could not store it: {exc}") from None
    return _answer(reader, SETS[name], made.pk, status=201)


def _observation_tenant(reader: Reader, doc: dict) -> Tenant:
    """At the region's path, an Observation belongs to its Datastream's tenant."""
    pk = _id_of(doc.get("Datastream"), "Datastream") if doc.get("Datastream") else None
    if pk is None:
        raise Invalid('Datastream: {"@iot.id": <id>} is missing')
    with system_context():
        stream = (
            m.Datastream.objects.filter(SETS["Datastreams"].readable(reader.caller.tenants), pk=pk)
            .select_related("tenant")
            .first()
        )
    if stream is None:
        raise Invalid(f"no Datastream {pk}")
    return _writer_tenant(reader, stream.tenant)


# -- changing and deleting --------------------------------------------------------------------


def _target(reader: Reader, path: str, verb: str) -> tuple[EntitySet, Any, Tenant]:
    """The one entity a PATCH or DELETE addresses (`Things(1)`), found as the caller reads
    it, and its tenant, on which the caller must have a writing role."""
    segments = [s for s in path.split("/") if s]
    match = SEGMENT.match(segments[0]) if len(segments) == 1 else None
    if not match or not match["id"] or match["name"] not in SETS:
        raise MethodNotAllowed(f"{verb} one entity by its address, e.g. Things(1)")
    entity = SETS[match["name"]]
    with system_context():
        row = reader.queryset(entity).filter(pk=int(match["id"])).first()
        tenant = Tenant.objects.filter(pk=row.tenant_id).first() if row is not None else None
    if row is None:
        raise NotFound(f"no {entity.single} {match['id']}")
    return entity, row, _writer_tenant(reader, tenant)


def update(request, reader: Reader, path: str) -> HttpResponse:
    """PATCH of one entity: the entity as it is now (200)."""
    _may_write_somewhere(reader)
    entity, row, tenant = _target(reader, path, "PATCH")
    doc = _body(request)
    try:
        with transaction.atomic(), tenant_context([tenant.pk]):
            obj = entity.model.objects.select_for_update().get(pk=row.pk)
            if entity.name == "Observations":
                _change_observation(obj, doc, tenant)
            else:
                _change(entity, obj, doc, tenant)
    except IntegrityError as exc:
        raise Invalid(f"could not store it: {str(exc).splitlines()[0]}") from None
    except DatabaseError as exc:
        raise Invalid(f"could not store it: {exc}") from None
    return _answer(reader, entity, row.pk, status=200)


def _change(entity: EntitySet, obj, doc: dict, tenant: Tenant) -> None:
    links = _links(doc, entity)
    moved = "location" in doc and entity.name == "Locations"
    _assign(obj, entity, doc, new=False)
    changeable = {
        "Things": {"Locations"},
        "Datastreams": {"Thing", "Sensor", "ObservedProperty"},
        "HistoricalLocations": {"Thing", "Locations"},
    }.get(entity.name, set())
    refused = sorted(set(links) - changeable)
    if refused:
        raise Invalid(f"{entity.single}: {refused[0]} cannot be changed through it")
    for name in ("Thing", "Sensor", "ObservedProperty"):
        if name in links:
            nav = entity.navs[name]
            target = _ref(nav.target, links[name], tenant, name, inline=False)
            setattr(obj, nav.relation, target)
    if moved:  # the next observation gets a feature made from where the Location is now
        obj.generated_feature = None
    obj.save()
    if "Locations" in links:
        places = [
            _ref("Locations", item, tenant, "Location", inline=False)
            for item in _refs(links["Locations"], "Locations")
        ]
        if entity.name == "Things":
            obj.locations.set(places)
            if places:
                history = m.HistoricalLocation.objects.create(
                    tenant=tenant, thing=obj, time=timezone.now()
                )
                history.locations.add(*places)
        else:
            if not places:
                raise Invalid("HistoricalLocation: Locations must name at least one Location")
            obj.locations.set(places)


def _change_observation(obs: m.Observation, doc: dict, tenant: Tenant) -> None:
    links = _links(doc, SETS["Observations"])
    stream = obs.datastream
    if "Datastream" in links:
        stream = _ref("Datastreams", links["Datastream"], tenant, "Datastream", inline=False)
    if "FeatureOfInterest" in links:
        feature = _ref(
            "FeaturesOfInterest",
            links["FeatureOfInterest"],
            tenant,
            "FeatureOfInterest",
            inline=False,
        )
        obs.feature_id = feature.pk
    changes: dict[str, Any] = {}
    try:
        if "phenomenonTime" in doc:
            changes["phenomenon_time"] = _time(doc["phenomenonTime"], "phenomenonTime")
        if "resultTime" in doc:
            value = doc["resultTime"]
            changes["result_time"] = None if value is None else _time(value, "resultTime")
        if "result" in doc:
            if stream.numeric:
                changes["result"], changes["result_json"] = number(doc["result"], "result"), None
            else:
                changes["result"], changes["result_json"] = None, doc["result"]
        elif stream.numeric != obs.datastream.numeric:
            raise Invalid("the Datastream takes another kind of result: give result too")
    except PayloadInvalid as exc:
        raise Invalid(str(exc)) from None
    old_stream = obs.datastream_id
    with connection.cursor() as cursor:
        if "phenomenon_time" in changes:
            when = changes["phenomenon_time"]
            cursor.execute(
                "SELECT sensors_ensure_partitions(%s::timestamptz, 0, 0)",
                [when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)],
            )
        m.Observation.objects.filter(pk=obs.pk).update(
            datastream_id=stream.pk, feature_id=obs.feature_id, **changes
        )
        ingest.refresh_latest(cursor.cursor, sorted({old_stream, stream.pk}))


def delete(request, reader: Reader, path: str) -> HttpResponse:
    """DELETE of one entity and of what cannot be without it (200, no body)."""
    _may_write_somewhere(reader)
    entity, row, tenant = _target(reader, path, "DELETE")
    with transaction.atomic(), tenant_context([tenant.pk]), connection.cursor() as cursor:
        if entity.name in ("Observations", "FeaturesOfInterest"):
            gone = m.Observation.objects.filter(
                **({"pk": row.pk} if entity.name == "Observations" else {"feature_id": row.pk})
            )
            streams = sorted(set(gone.values_list("datastream_id", flat=True)))
            gone.delete()
            if streams:
                ingest.refresh_latest(cursor.cursor, streams)
            if entity.name == "FeaturesOfInterest":
                m.FeatureOfInterest.objects.filter(pk=row.pk).delete()
        elif entity.name == "Locations":
            # A HistoricalLocation says where its Thing was: without any Location it says nothing.
            alone = m.HistoricalLocation.objects.filter(locations=row.pk).exclude(
                locations__in=m.Location.objects.exclude(pk=row.pk)
            )
            alone.delete()
            m.Location.objects.filter(pk=row.pk).delete()
        else:
            entity.model.objects.filter(pk=row.pk).delete()
    return HttpResponse(status=200)


def _answer(reader: Reader, entity: EntitySet, pk: int, *, status: int) -> HttpResponse:
    with system_context():
        row = entity.model.objects.get(pk=pk)
        body = reader.entity(entity, row, Options())
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 201:
        response["Location"] = reader.self_link(entity, pk)
    return response
