# SPDX-License-Identifier: EUPL-1.2
"""What the hub publishes of the chargers: DATEX II v3 (Energy Infrastructure) and the pages.

The official DATEX II XSD set is in no package of the registries this machine reaches (PyPI,
npm, Maven Central, the Go proxy, crates.io; ADR 0015), so these tests check the documents
against the schema's structure as documented (docs.datex2.eu, "Energy infrastructure"; the
content model of DATEXII_3_EnergyInfrastructure.xsd 3.7): namespaces, the payload's type,
required ids and versions, the order of the inherited facility elements, the enumerations,
and that the status points only at refill points of the table. During development both
documents were also validated with lxml against the official 3.7 XSD set (ADR 0015)."""

from __future__ import annotations

import pytest
from lxml import etree

from hub.charging import datex, selectors, services
from hub.charging.models import ChargePoint, Location, Station
from tests.charging.conftest import STADTWERKE

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
NS = datex.NS
XSI_TYPE = f"{{{NS['xsi']}}}type"
CONNECTOR_TYPES = {
    "chademo",
    "cee3",
    "cee5",
    "yazaki",
    "domestic",
    "domesticF",
    "iec62196T1",
    "iec62196T1COMBO",
    "iec62196T2",
    "iec62196T2COMBO",
    "iec62196T3A",
    "iec62196T3C",
    "teslaConnectorEurope",
    "teslaR",
    "teslaS",
    "other",
}  # a subset of ConnectorTypeEnum: the values the register's plug names map to
STATUSES = {
    "available",
    "blocked",
    "charging",
    "faulted",
    "inoperative",
    "occupied",
    "outOfOrder",
    "outOfStock",
    "planned",
    "removed",
    "reserved",
    "unavailable",
    "unknown",
}  # RefillPointStatusEnum
FACILITY_ORDER = ["name", "lastUpdated", "locationReference", "operator"]


def _local(element) -> str:
    return etree.QName(element).localname


def _xpath(doc, path: str):
    return doc.xpath(path, namespaces=NS)


def test_the_table_has_every_station_and_charge_point_in_the_documented_structure(
    client, register, seeded
):
    answer = client.get("/api/v1/t/haldensleben/laden/datex2/table.xml")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/xml")
    doc = etree.fromstring(answer.content)
    assert doc.tag == f"{{{NS['d2']}}}payload"
    assert doc.get(XSI_TYPE) == "egi:EnergyInfrastructureTablePublication"
    assert doc.get("modelBaseVersion") == "3"
    assert doc.get("lang") == "de"
    assert [_local(c) for c in doc] == [
        "publicationTime",
        "publicationCreator",
        "energyInfrastructureTable",
    ]
    table = _xpath(doc, "egi:energyInfrastructureTable")[0]
    assert table.get("id") == "hub-haldensleben"
    assert table.get("version")
    inside = selectors.stations(seeded["haldensleben"])
    sites = _xpath(table, "egi:energyInfrastructureSite")
    assert len(sites) == inside.count() == 9
    assert len(_xpath(table, ".//egi:refillPoint")) == (
        ChargePoint.objects.filter(station__in=inside).count()
    )
    ids = set()
    for site in sites:
        assert site.get("id")
        assert site.get("version")
        facility = [_local(c) for c in site if etree.QName(c).namespace == NS["fac"]]
        assert facility == FACILITY_ORDER  # fac: elements first, in this order
        assert [_local(c) for c in site][4:] == ["typeOfSite", "energyInfrastructureStation"]
        where = _xpath(site, "fac:locationReference")[0]
        assert where.get(XSI_TYPE) == "loc:PointLocation"
        lat = float(_xpath(where, ".//loc:latitude")[0].text)
        lon = float(_xpath(where, ".//loc:longitude")[0].text)
        assert 52.2 < lat < 52.4
        assert 11.3 < lon < 11.5  # Haldensleben: not swapped
        operator = _xpath(site, "fac:operator")[0]
        assert operator.get(XSI_TYPE) == "fac:OrganisationSpecification"
        assert operator.get("id")
        assert _xpath(operator, "fac:name/com:values/com:value")[0].text
        assert _xpath(operator, "fac:organisationUnit")
        station = _xpath(site, "egi:energyInfrastructureStation")[0]
        points = _xpath(station, "egi:refillPoint")
        assert int(_xpath(station, "egi:numberOfRefillPoints")[0].text) == len(points)
        for point in points:
            assert point.get(XSI_TYPE) == "egi:ElectricChargingPoint"
            assert point.get("version") == site.get("version")
            ids.add(point.get("id"))
            for connector in _xpath(point, "egi:connector"):
                assert _xpath(connector, "egi:connectorType")[0].text in CONNECTOR_TYPES
                assert int(_xpath(connector, "egi:maxPowerAtSocket")[0].text) > 0
    assert len(ids) == len(_xpath(table, ".//egi:refillPoint"))  # ids unique per class


def test_the_status_names_refill_points_of_the_table_with_their_status(
    client, register, seeded, invited
):
    party, _ = invited
    zob = Station.objects.get(operator=STADTWERKE, address="Bahnhofsplatz 1")
    party.roles = [{"role": "CPO", "country_code": "DE", "party_id": "SWH"}]
    target = services.Target(party, "DE", "SWH", "HDL-ZOB")
    body = {
        "country_code": "DE",
        "party_id": "SWH",
        "id": "HDL-ZOB",
        "publish": True,
        "address": "Bahnhofsplatz 1",
        "city": "Haldensleben",
        "country": "DEU",
        "coordinates": {"latitude": f"{zob.point.y:.6f}", "longitude": f"{zob.point.x:.6f}"},
        "time_zone": "Europe/Berlin",
        "last_updated": "2026-12-08T06:00:00Z",
        "evses": [
            {
                "uid": uid,
                "status": status,
                "last_updated": "2026-12-08T06:00:00Z",
                "connectors": [
                    {
                        "id": "1",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 230,
                        "max_amperage": 32,
                        "last_updated": "2026-12-08T06:00:00Z",
                    }
                ],
            }
            for uid, status in (("A1", "OUTOFORDER"), ("A2", "CHARGING"))
        ],
    }
    assert services.put_location(target, body) == "created"
    assert Location.objects.get().stations.get() == zob
    table = etree.fromstring(client.get("/api/v1/t/haldensleben/laden/datex2/table.xml").content)
    status = etree.fromstring(client.get("/api/v1/t/haldensleben/laden/datex2/status.xml").content)
    assert status.get(XSI_TYPE) == "egi:EnergyInfrastructureStatusPublication"
    reference = _xpath(status, "egi:tableReference")[0]
    assert reference.get("targetClass") == "egi:EnergyInfrastructureTable"
    assert reference.get("id") == _xpath(table, "egi:energyInfrastructureTable/@id")[0]
    versions = {p.get("id"): p.get("version") for p in _xpath(table, ".//egi:refillPoint")}
    shown = {}
    for point in _xpath(status, ".//egi:refillPointStatus"):
        assert point.get(XSI_TYPE) == "egi:ElectricChargingPointStatus"
        ref = _xpath(point, "fac:reference")[0]
        assert ref.get("targetClass") == "fac:FacilityObject"
        assert versions[ref.get("id")] == ref.get("version")  # a refill point of the table
        assert [_local(c) for c in point] == ["reference", "lastUpdated", "status"]
        value = _xpath(point, "egi:status")[0].text
        assert value in STATUSES
        shown[ref.get("id")] = value
    # The Location's EVSEs lie on the entry's charge points in order (A1 on 1, A2 on 2).
    assert shown == {f"bnetza-{zob.key}-1": "outOfOrder", f"bnetza-{zob.key}-2": "charging"}


def test_the_pages_list_every_charger_with_its_status_and_work_without_a_map(
    client, register, seeded
):
    page = client.get("/t/haldensleben/laden/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<li id="lade-') == 9
    assert "kein Live-Status" in html
    assert 'id="charging-map"' in html
    assert "Bahnhofsplatz 1, 39340 Haldensleben" in html
    assert client.get("/t/hohe-boerde/laden/").status_code == 404  # no mobility there
    assert client.get("/api/v1/t/haldensleben/laden/datex2/gibt-es-nicht.xml").status_code == 404
    region = client.get("/api/v1/laden/datex2/table.xml")
    assert len(_xpath(etree.fromstring(region.content), ".//egi:energyInfrastructureSite")) == 42
