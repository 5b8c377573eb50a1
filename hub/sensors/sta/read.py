# SPDX-License-Identifier: EUPL-1.2
"""Reading SensorThings resources: walking a resource path, collections with paging and
$expand, entities as the standard writes them, and the cost limit of one answer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from hub.core.errors import Invalid, NotFound
from hub.sensors.sta import observations
from hub.sensors.sta.entities import RESULT, SETS, EntitySet, Nav
from hub.sensors.sta.filter import FilterError, parse
from hub.sensors.sta.query import Options, _split

if TYPE_CHECKING:
    from django.http import HttpRequest

    from hub.tenancy.models import Tenant

# What one answer may cost, like FROST-Server's maxDataSize: each entity counts 1 and each query
# QUERY_COST (nested $expand runs one per entity). A page of 10,000 Observations, or 1,000
# Things each with its Datastreams, fits; 10,000 Things each with their Observations do not.
MAX_COST, QUERY_COST = 100_000, 20
# Sets whose visibility joins through a many-link (one row per link otherwise).
DISTINCT = ("Locations", "Sensors", "ObservedProperties", "FeaturesOfInterest")
SEGMENT = re.compile(r"^(?P<name>[A-Za-z]+)(?:\((?P<id>\d+)\))?$")


class Reader:
    def __init__(self, request: HttpRequest, base: str, caller: Any, tenant: Tenant | None):
        self.request, self.base, self.caller, self.tenant = request, base, caller, tenant
        self.cost = 0

    def spend(self, entities: int) -> None:
        """Count a query and the entities it returned; refuse the request beyond MAX_COST."""
        self.cost += QUERY_COST + entities
        if self.cost > MAX_COST:
            raise Invalid(
                f"the answer would be too large (more than {MAX_COST:,} entities, counting "
                f"{QUERY_COST} for each $expand query): ask for less with $top, also inside "
                "$expand, or with $filter",
            )

    def queryset(self, entity: EntitySet):
        qs = entity.model.objects.filter(entity.readable(self.caller.tenants))
        if self.tenant is not None:
            qs = qs.filter(tenant_id=self.tenant.pk)
        return qs.distinct() if entity.name in DISTINCT else qs

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
                if part in ("id", "@iot.id"):  # Datastream/@iot.id, as clients write it
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
            checked_select(entity, opts.select)
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
                raise Invalid(f"$orderby: cannot read {item!r}")
            try:
                path = resolve(words[0])
            except FilterError as exc:
                raise Invalid(f"$orderby: {exc}") from None
            order.append(f"-{path}" if len(words) == 2 and words[1] == "desc" else path)
        return [*order, "id"]

    def self_link(self, entity: EntitySet, pk: int) -> str:
        return f"{self.base}{entity.name}({pk})"

    def entity(self, entity: EntitySet, row, opts: Options) -> dict:  # noqa: PLR0912 - per part
        link = self.self_link(entity, row.pk)
        wanted = checked_select(entity, opts.select)
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
                raise Invalid(f"$expand: {entity.name} has no link {name!r}")
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


def checked_select(entity: EntitySet, select: list[str] | None) -> set[str] | None:
    """The names $select asks for, each a property or link of the entity (else 400)."""
    if not select:
        return None
    known = {"id", "selfLink", *entity.fields, *entity.navs}
    unknown = [name for name in select if name not in known]
    if unknown:
        raise Invalid(
            f"$select: {entity.single} has no property or link {unknown[0][:60]!r}; "
            f"known: {', '.join(sorted(known))}"
        )
    return set(select)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _walk(reader: Reader, path: str):
    """(entity set, queryset or object, kind) of a resource path; kind: collection|entity."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return None, None, "root"
    match = SEGMENT.match(segments[0])
    if not match or match["name"] not in SETS:
        raise NotFound(f"no entity set {segments[0][:40]!r}; known: {', '.join(SETS)}")
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
                raise NotFound(f"nothing below {segment!r}")
            return entity, (target, segment, bool(rest)), "property"
        match = SEGMENT.match(segment)
        nav = entity.navs.get(match["name"]) if match and kind == "entity" else None
        if nav is None:
            raise NotFound(f"{entity.name} has no link or property {segment[:40]!r}")
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
        raise NotFound(f"no {entity.single} {pk}")
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
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/link-to-existing-entities",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/deep-insert",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/delete-entity",
                "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/historical-location-auto-creation",
            ]
        },
    }
