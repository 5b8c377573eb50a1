# SPDX-License-Identifier: EUPL-1.2
"""The chargers as DATEX II v3, Energy Infrastructure namespace (egi), so that a municipal
utility can meet AFIR (EU 2023/1804) through the hub: the static table (sites, stations,
refill points with connectors and power, operator, position) and the status publication
(per refill point, from the operator's OCPI status).

One register entry (Ladeeinrichtung) is one site with one station; its charge points are the
refill points. Where an operator's Location covers several entries (a charging park), its
EVSEs are laid onto their charge points in order (entries by their line in the register,
points by position; EVSEs by uid); a charge point without an EVSE has no status.
Checked against the official XSD set of version 3.7 (docs/adr/0015-charging.md says where it
came from and why it is not in the repository)."""

from __future__ import annotations

import datetime as dt
import hashlib

from lxml import etree

from hub.charging.selectors import Shown

NS = {
    "d2": "http://datex2.eu/schema/3/d2Payload",
    "com": "http://datex2.eu/schema/3/common",
    "egi": "http://datex2.eu/schema/3/energyInfrastructure",
    "fac": "http://datex2.eu/schema/3/facilities",
    "loc": "http://datex2.eu/schema/3/locationReferencing",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"
# OCPI status -> RefillPointStatusEnum (lowerCamelCase)
STATUS = {
    "AVAILABLE": "available",
    "BLOCKED": "blocked",
    "CHARGING": "charging",
    "INOPERATIVE": "inoperative",
    "OUTOFORDER": "outOfOrder",
    "PLANNED": "planned",
    "REMOVED": "removed",
    "RESERVED": "reserved",
    "UNKNOWN": "unknown",
}
# The register's plug names -> (ConnectorTypeEnum, ConnectorFormatTypeEnum)
PLUGS = {
    "ac steckdose typ 2": ("iec62196T2", "socket"),
    "ac kupplung typ 2": ("iec62196T2", "cableMode3"),
    "ac schuko": ("domesticF", "socket"),
    "dc kupplung combo": ("iec62196T2COMBO", "cableMode3"),
    "dc chademo": ("chademo", "cableMode3"),
    "ac cee 3 polig": ("cee3", "socket"),
    "ac cee 5 polig": ("cee5", "socket"),
    "ac kupplung typ 1": ("iec62196T1", "cableMode3"),
    "dc kupplung typ 1 combo": ("iec62196T1COMBO", "cableMode3"),
    "tesla": ("teslaConnectorEurope", "cableMode3"),
}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _el(parent, prefix: str, name: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, _q(prefix, name), **attrs)
    if text is not None:
        element.text = text
    return element


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _root(kind: str, now: dt.datetime, creator: str) -> etree._Element:
    root = etree.Element(
        _q("d2", "payload"),
        nsmap=dict(NS),
        attrib={XSI_TYPE: f"egi:{kind}", "lang": "de", "modelBaseVersion": "3"},
    )
    _el(root, "com", "publicationTime", _stamp(now))
    creator_el = _el(root, "com", "publicationCreator")
    _el(creator_el, "com", "country", "de")
    _el(creator_el, "com", "nationalIdentifier", creator)
    return root


def _version(station) -> str:
    return str(int(station.updated_at.timestamp()))


def _text(parent, prefix: str, name: str, value: str) -> None:
    holder = _el(parent, prefix, name)
    values = _el(holder, "com", "values")
    _el(values, "com", "value", value, lang="de")


def _site_id(station) -> str:
    return f"bnetza-{station.key}"


def _point_id(station, position: int) -> str:
    return f"bnetza-{station.key}-{position}"


def table(shown: list[Shown], *, table_id: str, now: dt.datetime, creator: str) -> bytes:
    root = _root("EnergyInfrastructureTablePublication", now, creator)
    table_el = _el(root, "egi", "energyInfrastructureTable", id=table_id, version="1")
    for item in shown:
        s = item.station
        version = _version(s)
        site = _el(table_el, "egi", "energyInfrastructureSite", id=_site_id(s), version=version)
        _text(site, "fac", "name", f"{s.address}, {s.postcode} {s.city}".replace(" ,", ","))
        _el(site, "fac", "lastUpdated", _stamp(s.updated_at))
        where = _el(site, "fac", "locationReference", attrib={XSI_TYPE: "loc:PointLocation"})
        coordinates = _el(_el(where, "loc", "pointByCoordinates"), "loc", "pointCoordinates")
        _el(coordinates, "loc", "latitude", f"{s.point.y:.6f}")
        _el(coordinates, "loc", "longitude", f"{s.point.x:.6f}")
        operator = _el(
            site,
            "fac",
            "operator",
            attrib={XSI_TYPE: "fac:OrganisationSpecification"},
            id=f"operator-{hashlib.sha256(s.operator.casefold().encode()).hexdigest()[:16]}",
            version="1",
        )
        _text(operator, "fac", "name", s.operator)
        _el(operator, "fac", "organisationUnit")
        _el(site, "egi", "typeOfSite", "other")
        points = list(s.points.all())
        station = _el(
            site, "egi", "energyInfrastructureStation", id=f"{_site_id(s)}-station", version=version
        )
        _el(station, "egi", "numberOfRefillPoints", str(len(points)))
        for point in points:
            refill = _el(
                station,
                "egi",
                "refillPoint",
                attrib={XSI_TYPE: "egi:ElectricChargingPoint"},
                id=_point_id(s, point.position),
                version=version,
            )
            _el(refill, "egi", "usageType", "electricVehicle")
            watts = int((point.power_kw or s.power_kw) * 1000)
            _el(refill, "egi", "availableChargingPower", str(watts))
            for plug in point.plugs or ["?"]:
                kind, form = PLUGS.get(plug.casefold(), ("other", None))
                connector = _el(refill, "egi", "connector")
                _el(connector, "egi", "connectorType", kind)
                if form:
                    _el(connector, "egi", "connectorFormat", form)
                _el(connector, "egi", "maxPowerAtSocket", str(watts))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def evse_for_points(shown: list[Shown]) -> dict[tuple[str, int], object]:
    """(station key, position) -> the EVSE laid onto that charge point (see the module)."""
    by_location: dict[int, list] = {}
    for item in shown:
        if item.station.location_id:
            by_location.setdefault(item.station.location_id, []).append(item.station)
    out = {}
    for stations in by_location.values():
        stations.sort(key=lambda s: (s.line, s.key))
        location = stations[0].location
        evses = sorted((e for e in location.evses.all() if e.present), key=lambda e: e.uid)
        slots = [(s.key, p.position) for s in stations for p in s.points.all()]
        out.update(zip(slots, evses, strict=False))
    return out


def status(shown: list[Shown], *, table_id: str, now: dt.datetime, creator: str) -> bytes:
    root = _root("EnergyInfrastructureStatusPublication", now, creator)
    _el(
        root,
        "egi",
        "tableReference",
        targetClass="egi:EnergyInfrastructureTable",
        id=table_id,
        version="1",
    )
    evses = evse_for_points(shown)
    for item in shown:
        s = item.station
        points = [(p, evses.get((s.key, p.position))) for p in s.points.all()]
        if not any(e for _, e in points):
            continue
        version = _version(s)
        site = _el(root, "egi", "energyInfrastructureSiteStatus")
        _el(
            site,
            "fac",
            "reference",
            targetClass="fac:FacilityObject",
            id=_site_id(s),
            version=version,
        )
        station = _el(site, "egi", "energyInfrastructureStationStatus")
        _el(
            station,
            "fac",
            "reference",
            targetClass="fac:FacilityObject",
            id=f"{_site_id(s)}-station",
            version=version,
        )
        for point, evse in points:
            if evse is None:
                continue
            refill = _el(
                station,
                "egi",
                "refillPointStatus",
                attrib={XSI_TYPE: "egi:ElectricChargingPointStatus"},
            )
            _el(
                refill,
                "fac",
                "reference",
                targetClass="fac:FacilityObject",
                id=_point_id(s, point.position),
                version=version,
            )
            _el(refill, "fac", "lastUpdated", _stamp(evse.last_updated))
            _el(refill, "egi", "status", STATUS.get(evse.status, "unknown"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
