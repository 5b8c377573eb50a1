# SPDX-License-Identifier: EUPL-1.2
"""The SensorThings API v1.1 (sensing part): reading with $filter, $expand, $select, $orderby,
$top, $skip and $count, and creating Things, Locations, Sensors, ObservedProperties,
Datastreams and Observations.

    /sta/v1.1/                  every tenant's public things, and the caller's own
    /t/<slug>/sta/v1.1/         one tenant's; creating needs a role on it

Reading needs no account for public things (open data); a Bearer token of the hub (a person or
an API client) also shows its tenants' private things. Creating needs a Bearer token with the
role editor, developer, tenant-admin or region-admin on the tenant.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from connectors.base import PayloadInvalid
from hub.accounts.auth import BearerAuth, Unauthenticated
from hub.accounts.ratelimit import RateLimited
from hub.sensors import ingest
from hub.sensors import models as m
from hub.sensors.sta import observations
from hub.sensors.sta.entities import RESULT, SETS, EntitySet, Nav
from hub.sensors.sta.filter import FilterError, parse
from hub.tenancy.context import system_context, tenant_context
from hub.tenancy.models import Role, Tenant
from hub.tenancy.permissions import roles_on

# FROST-Server's defaults (CoreSettings defaultTop, maxTop): a client reads a datastream's
# 10,000 points in one request.
DEFAULT_TOP, MAX_TOP = 100, 10_000
# What one answer may cost, like FROST-Server's maxDataSize: each entity counts 1 and each query
# QUERY_COST (nested $expand runs one per entity). A page of 10,000 Observations, or 1,000
# Things each with its Datastreams, fits; 10,000 Things each with their Observations do not.
MAX_COST, QUERY_COST = 100_000, 20
DATA_ARRAY = "dataArray"
MAX_BODY = 1024 * 1024
WRITERS = {Role.EDITOR, Role.DEVELOPER, Role.TENANT_ADMIN, Role.REGION_ADMIN}
SEGMENT = re.compile(r"^(?P<name>[A-Za-z]+)(?:\((?P<id>\d+)\))?$")


class StaError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Caller:
    tenants: frozenset[int]  # whose private things it may read
    principal: Any = None


def _caller(request: HttpRequest) -> Caller:
    if not request.headers.get("Authorization"):
        return Caller(frozenset())
    try:
        principal = BearerAuth()(request)
    except Unauthenticated as exc:
        raise StaError(401, exc.reason) from None
    if principal is None:
        raise StaError(401, "the Authorization header is not 'Bearer <token>'")
    slugs = {slug for slug, _role in principal.tenant_roles}
    ids = frozenset(Tenant.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    return Caller(ids, principal)


# -- query options ------------------------------------------------------------------------------


def _split(text: str, separator: str) -> list[str]:
    """Split at `separator` outside parentheses and quotes."""
    parts, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == separator and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    if depth != 0 or quoted:
        raise StaError(400, f"unbalanced parentheses or quotes in {text[:80]!r}")
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


@dataclass
class Options:
    filter: str = ""
    orderby: str = ""
    select: list[str] | None = None
    expand: dict[str, Options] | None = None
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False
    result_format: str = ""  # "" (standard JSON) or DATA_ARRAY
    raw: dict[str, str] | None = None  # as given: what a next page's link repeats


def _int(value: str, name: str, limit: int) -> int:
    if not value.isdigit():
        raise StaError(400, f"{name} must be a whole number ≥ 0, got {value[:20]!r}")
    number = int(value)
    if number > limit:
        raise StaError(400, f"{name} is at most {limit}")
    return number


def options(raw: dict[str, str]) -> Options:
    known = {
        "$filter",
        "$orderby",
        "$select",
        "$expand",
        "$top",
        "$skip",
        "$count",
        "$resultFormat",
    }
    unknown = [k for k in raw if k.startswith("$") and k not in known]
    if unknown:
        raise StaError(400, f"unknown query option(s) {', '.join(unknown)}")
    result = Options(filter=raw.get("$filter", ""), orderby=raw.get("$orderby", ""), raw=raw)
    if "$top" in raw:
        result.top = _int(raw["$top"], "$top", MAX_TOP)
    if "$skip" in raw:
        result.skip = _int(raw["$skip"], "$skip", 10**9)
    if "$count" in raw:
        if raw["$count"] not in ("true", "false"):
            raise StaError(400, "$count is true or false")
        result.count = raw["$count"] == "true"
    if "$resultFormat" in raw:
        if raw["$resultFormat"].lower() != DATA_ARRAY.lower():
            raise StaError(400, f"$resultFormat: this server offers {DATA_ARRAY} only")
        result.result_format = DATA_ARRAY
    if "$select" in raw:
        result.select = _split(raw["$select"], ",")
    if "$expand" in raw:
        result.expand = {}
        for item in _split(raw["$expand"], ","):
            _expand_item(result.expand, item)
    return result


def _expand_item(into: dict[str, Options], item: str) -> None:
    match = re.match(r"^([A-Za-z]+)(?:\((.*)\))?(?:/(.+))?$", item, re.DOTALL)
    if not match:
        raise StaError(400, f"cannot read $expand item {item[:80]!r}")
    name, inner, rest = match.groups()
    nested = into.get(name)
    if nested is None:
        raw = {}
        for part in _split(inner or "", ";"):
            key, _, value = part.partition("=")
            raw[key.strip()] = value.strip()
        nested = options(raw)
        if nested.result_format:
            raise StaError(400, "$resultFormat applies to the whole response, not in $expand")
        into[name] = nested
    if rest:
        nested.expand = nested.expand or {}
        _expand_item(nested.expand, rest)


# -- reading ------------------------------------------------------------------------------------


class Reader:
    def __init__(self, request: HttpRequest, base: str, caller: Caller, tenant: Tenant | None):
        self.request, self.base, self.caller, self.tenant = request, base, caller, tenant
        self.cost = 0

    def spend(self, entities: int) -> None:
        """Count a query and the entities it returned; refuse the request beyond MAX_COST."""
        self.cost += QUERY_COST + entities
        if self.cost > MAX_COST:
            raise StaError(
                400,
                f"the answer would be too large (more than {MAX_COST:,} entities, counting "
                f"{QUERY_COST} for each $expand query): ask for less with $top, also inside "
                "$expand, or with $filter",
            )

    def queryset(self, entity: EntitySet):
        qs = entity.model.objects.filter(entity.readable(self.caller.tenants))
        if self.tenant is not None:
            qs = qs.filter(tenant_id=self.tenant.pk)
        return (
            qs.distinct() if entity.name in ("Locations", "Sensors", "ObservedProperties") else qs
        )

    def linked(self, nav: Nav, pk: int):
        """The entities that the many-link `nav` reaches from entity `pk`, which the caller
        has found readable (it came from queryset() or linked())."""
        target = SETS[nav.target]
        if not nav.inherits:
            return self.queryset(target).filter(**{nav.back: pk})
        qs = target.model.objects.filter(**{nav.back: pk})
        return qs.filter(tenant_id=self.tenant.pk) if self.tenant is not None else qs

    def resolver(self, entity: EntitySet):
        def resolve(path: str) -> str:
            parts = path.split("/")
            orm, current = [], entity
            for i, part in enumerate(parts):
                if part == "id":
                    orm.append("id")
                    break
                if part in current.fields:
                    orm.append(current.fields[part])
                    if i != len(parts) - 1:
                        # a property of a JSON field: properties/x, unitOfMeasurement/symbol
                        orm += parts[i + 1 :]
                    break
                nav = current.navs.get(part)
                if nav is None:
                    raise FilterError(f"{current.name} has no property or link {part!r}")
                orm.append(nav.relation)
                current = SETS[nav.target]
            else:
                raise FilterError(f"{path!r} names an entity, not a property")
            return "__".join(orm)

        return resolve

    def collection(self, entity: EntitySet, qs, opts: Options, link: str) -> dict:
        if opts.filter:
            qs = qs.filter(parse(opts.filter, self.resolver(entity)))
        qs = qs.order_by(*self.order(entity, opts.orderby))
        total = qs.count() if opts.count else None
        page = qs[opts.skip : opts.skip + opts.top + 1]
        if entity.name == "Observations" and not opts.expand:
            rows = observations.fetch(page)
            render = observations.data_array if opts.result_format else observations.entities
            value = render(rows[: opts.top], self.base, opts.select)
        else:
            rows = list(page)
            value = [self.entity(entity, row, opts) for row in rows[: opts.top]]
        self.spend(len(value))
        more = opts.top > 0 and len(rows) > opts.top
        out: dict[str, Any] = {}
        if total is not None:
            out["@iot.count"] = total
        out["value"] = value
        if more:
            query = dict(opts.raw or {})
            query["$skip"] = str(opts.skip + opts.top)
            query["$top"] = str(opts.top)
            out["@iot.nextLink"] = f"{link}?{urlencode(query)}"
        return out

    def order(self, entity: EntitySet, orderby: str) -> list[str]:
        if not orderby:
            return list(entity.default_order)
        resolve, order = self.resolver(entity), []
        for item in _split(orderby, ","):
            words = item.split()
            if len(words) == 2:
                words[1] = words[1].lower()  # clients send ASC/DESC too
            if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
                raise StaError(400, f"$orderby: cannot read {item!r}")
            try:
                path = resolve(words[0])
            except FilterError as exc:
                raise StaError(400, f"$orderby: {exc}") from None
            order.append(f"-{path}" if len(words) == 2 and words[1] == "desc" else path)
        return [*order, "id"]

    def self_link(self, entity: EntitySet, pk: int) -> str:
        return f"{self.base}{entity.name}({pk})"

    def entity(self, entity: EntitySet, row, opts: Options) -> dict:  # noqa: PLR0912 - per part
        link = self.self_link(entity, row.pk)
        wanted = set(opts.select) if opts.select else None
        out: dict[str, Any] = {}
        if wanted is None or "id" in wanted:
            out["@iot.id"] = row.pk
        if wanted is None or "selfLink" in wanted:
            out["@iot.selfLink"] = link
        for name, attr in entity.fields.items():
            if wanted is not None and name not in wanted:
                continue
            if entity.name == "Observations" and name == "result":
                out[name] = RESULT(row)
            else:
                value = getattr(row, attr)
                render = entity.render.get(name)
                out[name] = render(value) if render else _plain(value)
        for name in entity.navs:
            if wanted is None or name in wanted:
                out[f"{name}@iot.navigationLink"] = f"{link}/{name}"
        for name, nested in (opts.expand or {}).items():
            nav = entity.navs.get(name)
            if nav is None:
                raise StaError(400, f"$expand: {entity.name} has no link {name!r}")
            target = SETS[nav.target]
            if nav.many:
                page = self.collection(target, self.linked(nav, row.pk), nested, f"{link}/{name}")
                out[name] = page["value"]
                if "@iot.count" in page:
                    out[f"{name}@iot.count"] = page["@iot.count"]
                if "@iot.nextLink" in page:
                    out[f"{name}@iot.nextLink"] = page["@iot.nextLink"]
            else:
                related = self.queryset(target).filter(pk=getattr(row, f"{nav.relation}_id"))
                found = related.first()
                self.spend(1)
                out[name] = self.entity(target, found, nested) if found else None
        return out


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return value


# -- the view -----------------------------------------------------------------------------------


def _walk(reader: Reader, path: str):
    """(entity set, queryset or object, kind) of a resource path; kind: collection|entity."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return None, None, "root"
    match = SEGMENT.match(segments[0])
    if not match or match["name"] not in SETS:
        raise StaError(404, f"no entity set {segments[0][:40]!r}; known: {', '.join(SETS)}")
    entity = SETS[match["name"]]
    target: Any = reader.queryset(entity)
    kind = "collection"
    if match["id"]:
        target = _one(target, int(match["id"]), entity)
        kind = "entity"
    for i, segment in enumerate(segments[1:], start=1):
        if kind == "entity" and segment in entity.fields:
            rest = segments[i + 1 :]
            if rest not in ([], ["$value"]):
                raise StaError(404, f"nothing below {segment!r}")
            return entity, (target, segment, bool(rest)), "property"
        match = SEGMENT.match(segment)
        nav = entity.navs.get(match["name"]) if match and kind == "entity" else None
        if nav is None:
            raise StaError(404, f"{entity.name} has no link or property {segment[:40]!r}")
        entity = SETS[nav.target]
        if nav.many:
            target, kind = reader.linked(nav, target.pk), "collection"
            if match["id"]:
                target, kind = _one(target, int(match["id"]), entity), "entity"
        else:
            target = _one(reader.queryset(entity), getattr(target, f"{nav.relation}_id"), entity)
    return entity, target, kind


def _one(qs, pk: int, entity: EntitySet):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise StaError(404, f"no {entity.single} {pk}")
    return found


def _root(base: str) -> dict:
    return {
        "value": [{"name": name, "url": f"{base}{name}"} for name in SETS],
        "serverSettings": {
            "conformance": [
                "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/create-entity",
            ]
        },
    }


@csrf_exempt
def sta(request: HttpRequest, path: str, slug: str | None = None) -> HttpResponse:
    try:
        return _handle(request, path, slug)
    except StaError as exc:
        return JsonResponse({"code": exc.status, "message": exc.message}, status=exc.status)
    except RateLimited as exc:
        response = JsonResponse({"code": 429, "message": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except (FilterError, FieldError, FieldDoesNotExist, ValueError, ValidationError) as exc:
        return JsonResponse({"code": 400, "message": str(exc)}, status=400)


def _handle(request: HttpRequest, path: str, slug: str | None) -> HttpResponse:
    tenant = request.tenant if slug else None
    base = request.build_absolute_uri(f"/t/{slug}/sta/v1.1/" if slug else "/sta/v1.1/")
    caller = _caller(request)
    reader = Reader(request, base, caller, tenant)
    if request.method == "POST":
        return _create(request, reader, path)
    if request.method != "GET":
        raise StaError(405, "this API reads (GET) and creates (POST)")
    opts = options(dict(request.GET.items()))
    with system_context():  # visibility is the readable() of each entity set
        entity, target, kind = _walk(reader, path)
        if kind == "root":
            return JsonResponse(_root(base))
        if opts.result_format and (kind != "collection" or entity.name != "Observations"):
            raise StaError(400, f"$resultFormat={DATA_ARRAY} is for collections of Observations")
        if opts.result_format and opts.expand:
            raise StaError(400, f"$resultFormat={DATA_ARRAY} does not combine with $expand")
        if kind == "collection":
            link = request.build_absolute_uri(request.path)
            body = reader.collection(entity, target, opts, link)
        elif kind == "entity":
            body = reader.entity(entity, target, opts)
        else:
            row, name, raw = target
            value = RESULT(row) if name == "result" else getattr(row, entity.fields[name])
            value = entity.render.get(name, _plain)(value)
            if raw:
                return HttpResponse(str(value), content_type="text/plain; charset=utf-8")
            body = {name: value}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


# -- creating -----------------------------------------------------------------------------------


def _body(request) -> dict:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise StaError(413, f"the body is larger than {MAX_BODY} bytes")
    try:
        doc = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StaError(400, f"the body is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise StaError(400, "the body must be a JSON object")
    return doc


def _writer_tenant(reader: Reader, tenant: Tenant | None) -> Tenant:
    principal = reader.caller.principal
    if principal is None:
        raise StaError(401, "creating needs 'Authorization: Bearer <token>'")
    if tenant is None:
        raise StaError(400, "create Things at /t/<slug>/sta/v1.1/ (the tenant they belong to)")
    if not roles_on(principal, tenant) & WRITERS:
        raise StaError(403, f"{principal.name or principal.subject} may not write to {tenant.slug}")
    return tenant


def _text(doc: dict, name: str, *, required: bool = True, limit: int = 200) -> str:
    value = doc.get(name, "")
    if required and not value:
        raise StaError(400, f"{name} is missing")
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise StaError(400, f"{name} must be a text of at most {limit} characters")
    return value


def _geometry(value: Any, name: str):
    try:
        return GEOSGeometry(json.dumps(value), srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise StaError(400, f"{name} is not a GeoJSON geometry") from None


def _ref(model, doc: Any, tenant: Tenant, make, name: str):
    """An entity given by {"@iot.id": n} (of the same tenant) or inline (created)."""
    if not isinstance(doc, dict):
        raise StaError(400, f"{name} must be an object")
    if "@iot.id" in doc:
        found = model.objects.filter(pk=doc["@iot.id"], tenant=tenant).first()
        if found is None:
            raise StaError(400, f"no {name} {doc['@iot.id']!r} of {tenant.slug}")
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
        raise StaError(400, "unitOfMeasurement is missing (name, symbol, definition)")
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
        thing.locations.add(*places)
        # The standard: giving a Thing its Location records a HistoricalLocation.
        history = m.HistoricalLocation.objects.create(
            tenant=tenant, thing=thing, time=timezone.now()
        )
        history.locations.add(*places)
    for item in doc.get("Datastreams") or []:
        if not isinstance(item, dict):
            raise StaError(400, "Datastreams must be objects")
        _datastream(item, tenant, thing)
    return thing


def _create(request, reader: Reader, path: str) -> HttpResponse:
    doc = _body(request)
    segments = [s for s in path.split("/") if s]
    match = SEGMENT.match(segments[-1]) if segments else None
    if not match or match["id"]:
        raise StaError(405, "POST to an entity set, e.g. Things or Datastreams(1)/Observations")
    name = match["name"]
    parent = SEGMENT.match(segments[0]) if len(segments) == 2 else None
    if len(segments) > 2 or (len(segments) == 2 and not (parent and parent["id"])):
        raise StaError(405, f"cannot create below {path[:80]!r}")
    if name == "Observations":
        return _create_observation(reader, doc, parent)
    makers = {
        "Things": _thing,
        "Locations": _location,
        "Sensors": _sensor,
        "ObservedProperties": _property,
        "Datastreams": _datastream,
    }
    if name not in makers or parent is not None:
        raise StaError(405, f"creating {name} here is not offered")
    tenant = _writer_tenant(reader, reader.tenant)
    try:
        with transaction.atomic(), tenant_context([tenant.pk]):
            made = makers[name](doc, tenant)
    except DatabaseError as exc:
        raise StaError(400, f"could not store it: {exc}") from None
    return _created(reader, SETS[name], made.pk)


def _create_observation(reader: Reader, doc: dict, parent) -> HttpResponse:
    if parent is not None:
        if parent["name"] != "Datastreams":
            raise StaError(405, "Observations are created below Datastreams(<id>)")
        datastream_id = int(parent["id"])
    else:
        ref = doc.get("Datastream")
        if not isinstance(ref, dict) or not isinstance(ref.get("@iot.id"), int):
            raise StaError(400, 'Datastream: {"@iot.id": <id>} is missing')
        datastream_id = ref["@iot.id"]
    with system_context():
        stream = m.Datastream.objects.filter(pk=datastream_id).select_related("tenant").first()
    if stream is None or (reader.tenant is not None and stream.tenant_id != reader.tenant.pk):
        raise StaError(404, f"no Datastream {datastream_id}")
    tenant = _writer_tenant(reader, stream.tenant)
    try:
        row = ingest.observation_row(
            stream.pk, tenant.pk, stream.numeric, doc, json.dumps(doc, sort_keys=True).encode()
        )
    except PayloadInvalid as exc:
        raise StaError(400, str(exc)) from None
    with transaction.atomic(), tenant_context([tenant.pk]), connection.cursor() as cursor:
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
