# SPDX-License-Identifier: CC-BY-ND-4.0
"""Examples of the OCPI 2.2.1 specification, verbatim (as JSON values), for the test CPO.

Source: github.com/ocpi/ocpi, tag 2.2.1 (commit 480973547169dee2fe6d12b1a0fe604623efcbb5),
examples/<name>.json; OCPI is published by the EVRoaming Foundation under CC BY-ND 4.0.
`location_put_example_add_evse.json` is invalid by the specification's own object definition
(its connector lacks power_type, max_voltage, max_amperage, last_updated): a negative case.
"""

EXAMPLES = {
    "credentials_example.json": {
        "token": "ebf3b399-779f-4497-9b9d-ac6ad3cc44d2",
        "url": "https://example.com/ocpi/versions/",
        "roles": [
            {
                "role": "CPO",
                "party_id": "EXA",
                "country_code": "NL",
                "business_details": {"name": "Example Operator"},
            }
        ],
    },
    "location_example.json": {
        "country_code": "BE",
        "party_id": "BEC",
        "id": "LOC1",
        "publish": True,
        "name": "Gent Zuid",
        "address": "F.Rooseveltlaan 3A",
        "city": "Gent",
        "postal_code": "9000",
        "country": "BEL",
        "coordinates": {"latitude": "51.047599", "longitude": "3.729944"},
        "parking_type": "ON_STREET",
        "evses": [
            {
                "uid": "3256",
                "evse_id": "BE*BEC*E041503001",
                "status": "AVAILABLE",
                "capabilities": ["RESERVABLE"],
                "connectors": [
                    {
                        "id": "1",
                        "standard": "IEC_62196_T2",
                        "format": "CABLE",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 220,
                        "max_amperage": 16,
                        "tariff_ids": ["11"],
                        "last_updated": "2015-03-16T10:10:02Z",
                    },
                    {
                        "id": "2",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 220,
                        "max_amperage": 16,
                        "tariff_ids": ["13"],
                        "last_updated": "2015-03-18T08:12:01Z",
                    },
                ],
                "physical_reference": "1",
                "floor_level": "-1",
                "last_updated": "2015-06-28T08:12:01Z",
            },
            {
                "uid": "3257",
                "evse_id": "BE*BEC*E041503002",
                "status": "RESERVED",
                "capabilities": ["RESERVABLE"],
                "connectors": [
                    {
                        "id": "1",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 220,
                        "max_amperage": 16,
                        "tariff_ids": ["12"],
                        "last_updated": "2015-06-29T20:39:09Z",
                    }
                ],
                "physical_reference": "2",
                "floor_level": "-2",
                "last_updated": "2015-06-29T20:39:09Z",
            },
        ],
        "operator": {"name": "BeCharged"},
        "time_zone": "Europe/Brussels",
        "last_updated": "2015-06-29T20:39:09Z",
    },
    "location_patch_example_status.json": {
        "status": "CHARGING",
        "last_updated": "2019-06-24T12:39:09Z",
    },
    "location_put_example_add_evse.json": {
        "uid": "3256",
        "evse_id": "BE*BEC*E041503003",
        "status": "AVAILABLE",
        "capabilities": ["RESERVABLE"],
        "connectors": [
            {"id": "1", "standard": "IEC_62196_T2", "format": "SOCKET", "tariff_ids": ["14"]}
        ],
        "floor": -1,
        "physical_reference": 3,
        "last_updated": "2019-06-24T12:39:09Z",
    },
}
