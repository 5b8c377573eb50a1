# SPDX-License-Identifier: EUPL-1.2
# The JSON inside is the GBFS specification's examples (MobilityData, gbfs.md), verbatim apart
# from the edits marked CHANGE; see SOURCE.
"""GBFS test fixtures assembled from the examples in the GBFS specification (gbfs.md).

    from examples import feed, SOURCE
    files = feed("2.3", "http://127.0.0.1:8000")   # {"gbfs.json": {...}, "system_information.json": {...}, ...}

Each call returns fresh dicts (safe to mutate). Every URL inside the feed (gbfs.json feed list,
3.0 manifest gbfs_url, 3.0 system_information.manifest_url) is base_url + "/<name>.json", so
serving the dict as files under base_url gives a self-consistent feed.

The JSON below is copied verbatim from gbfs.md (see SOURCE and the per-block line comments);
the spec examples are not mutually consistent, so _feed_23/_feed_30 apply the smallest edits
that make the feed coherent and valid, each commented where it is made.

NOTE: last_updated/ttl are kept as in the examples, so they are old (2.3: 1640887163 =
2021-12-30T17:59:23Z; 3.0: "2023-07-17T13:34:13+02:00") and the data is "stale" by ttl.
Overwrite them in your test if freshness matters.
"""

import json

SOURCE = {
    "2.3": "github.com/MobilityData/gbfs, tag v2.3, commit 4f0cc7024ff5ba71d3c3e861c3ff23a281ef71f8, file gbfs.md",
    "3.0": "github.com/MobilityData/gbfs, tag v3.0, commit 457cb71121348ad6c07384b7743ea7df994a4ebb, file gbfs.md",
}

# Verbatim JSON code blocks from gbfs.md at tag v2.3 (key -> gbfs.md line of the opening ```json fence).
_V23 = {
    # gbfs.md line 261: section "gbfs.json", Example:
    "gbfs": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "en": {
      "feeds": [
        {
          "name": "system_information",
          "url": "https://www.example.com/gbfs/1/en/system_information"
        },
        {
          "name": "station_information",
          "url": "https://www.example.com/gbfs/1/en/station_information"
        }
      ]
    },
    "fr" : {
      "feeds": [
        {
          "name": "system_information",
          "url": "https://www.example.com/gbfs/1/fr/system_information"
        },
        {
          "name": "station_information",
          "url": "https://www.example.com/gbfs/1/fr/station_information"
        }
      ]
    }
  }
}""",
    # gbfs.md line 369: section "system_information.json", Example:
    "system_information": r"""{
  "last_updated": 1640887163,
  "ttl": 1800,
  "version": "2.3",
  "data": {
    "system_id": "example_cityname",
    "language": "en",
    "name": "Example Bike Rental",
    "short_name": "Example Bike",
    "operator": "Example Sharing, Inc",
    "url": "https://www.example.com",
    "purchase_url": "https://www.example.com",
    "start_date": "2010-06-10",
    "phone_number": "1-800-555-1234",
    "email": "customerservice@example.com",
    "feed_contact_email": "datafeed@example.com",
    "timezone": "America/Chicago",
    "license_url": "https://www.example.com/data-license.html",
    "terms_url": "https://www.example.com/terms",
    "terms_last_updated": "2021-06-21",
    "privacy_url": "https://www.example.com/privacy-policy",
    "privacy_last_updated": "2019-01-13",
    "rental_apps": {
      "android": {
        "discovery_uri": "com.example.android://",
        "store_uri": "https://play.google.com/store/apps/details?id=com.example.android"
      },
      "ios": {
        "store_uri": "https://apps.apple.com/app/apple-store/id123456789",
        "discovery_uri": "com.example.ios://"
      }
    },
    "brand_assets": {
        "brand_last_modified": "2021-06-15",
        "brand_image_url": "https://www.example.com/assets/brand_image.svg",
        "brand_image_url_dark": "https://www.example.com/assets/brand_image_dark.svg",
        "color": "#C2D32C",
        "brand_terms_url": "https://www.example.com/assets/brand.pdf"
      }
      
  }
}""",
    # gbfs.md line 453: section "vehicle_types.json", Example:
    "vehicle_types": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "vehicle_types": [
      {
        "vehicle_type_id": "abc123",
        "form_factor": "bicycle",
        "propulsion_type": "human",
        "name": "Example Basic Bike",
        "wheel_count": 2,
        "default_reserve_time": 30,
        "return_constraint": "any_station",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_bicycle.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_bicycle_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "bike_plan_1",
        "pricing_plan_ids": [
          "bike_plan_1",
          "bike_plan_2",
          "bike_plan_3"
        ]
      },
      {
        "vehicle_type_id": "cargo123",
        "form_factor": "cargo_bicycle",
        "propulsion_type": "human",
        "name": "Example Cargo Bike",
        "wheel_count": 3,
        "default_reserve_time": 30,
        "return_constraint": "roundtrip_station",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_cargobicycle.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_cargobicycle_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan": "cargo_plan_1",
        "pricing_plans": [
          "cargo_plan_1",
          "cargo_plan_2",
          "cargo_plan_3"
        ]
      },
      {
        "vehicle_type_id": "def456",
        "form_factor": "scooter_standing",
        "propulsion_type": "electric",
        "name": "Example E-scooter V2",
        "wheel_count": 2,
        "max_permitted_speed": 25,
        "rated_power": 350,
        "default_reserve_time": 30,
        "max_range_meters": 12345,
        "return_constraint": "free_floating",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_escooter.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_escooter_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "scooter_plan_1"
      },
      {
        "vehicle_type_id": "car1",
        "form_factor": "car",
        "rider_capacity": 5,
        "min_cargo_volume_capacity": 200,
        "propulsion_type": "combustion_diesel",
        "eco_label": [
          {
            "country_code": "FR",
            "eco_sticker": "critair_1"
          },
          {
            "country_code": "DE",
            "eco_sticker": "euro_2"
          }
        ],
        "name": "Four-door Sedan",
        "wheel_count": 4,
        "default_reserve_time": 0,
        "max_range_meters": 523992,
        "return_constraint": "roundtrip_station",
        "vehicle_accessories": [
          "doors_4",
          "automatic",
          "cruise_control"
        ],
        "g_CO2_km": 120,
        "vehicle_image": "https://www.example.com/assets/renault-clio.jpg",
        "make": "Renault",
        "model": "Clio",
        "color": "white",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_car.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_car_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "car_plan_1"
      }
    ]
  }
}""",
    # gbfs.md line 595: section "station_information.json", Example 1: Physical station
    "station_information_1": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "stations": [
      {
        "station_id": "pga",
        "name": "Parking garage A",
        "lat": 12.345678,
        "lon": 45.678901,
        "parking_type": "underground_parking",
        "parking_hoop": false,
        "contact_phone": "+33109874321",
        "is_charging_station": true,
        "vehicle_type_capacity": {
          "abc123": 7,
          "def456": 9
        }
      }
    ]
  }
}""",
    # gbfs.md line 623: section "station_information.json", Example 2: Virtual station
    "station_information_2": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "stations": [
      {
        "station_id": "station12",
        "name": "SE Belmont & SE 10 th",
        "lat": 45.516445,
        "lon": -122.655775,
        "is_valet_station": false,
        "is_virtual_station": true,
        "is_charging_station": false,
        "station_area": {
          "type": "MultiPolygon",
          "coordinates": [
            [
              [
                [
                  -122.655775,
                  45.516445
                ],
                [
                  -122.655705,
                  45.516445
                ],
                [
                  -122.655705,
                  45.516495
                ],
                [
                  -122.655775,
                  45.516495
                ],
                [
                  -122.655775,
                  45.516445
                ]
              ]
            ]
          ]
        },
        "capacity": 16,
        "vehicle_capacity": {
          "abc123": 8,
          "def456": 8,
          "ghi789": 16
        }
      }
    ]
  }
}""",
    # gbfs.md line 704: section "station_status.json", Example:
    "station_status": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "stations": [
      {
        "station_id": "station1",
        "is_installed": true,
        "is_renting": true,
        "is_returning": true,
        "last_reported": 1609866125,
        "num_docks_available": 3,
        "num_docks_disabled" : 1,
        "vehicle_docks_available": [
          {
            "vehicle_type_ids": [ "abc123", "def456" ],
            "count": 2
          },
          {
            "vehicle_type_ids": [ "def456" ],
            "count": 1
          }
        ],
        "num_bikes_available": 1,
        "num_bikes_disabled": 2,
        "vehicle_types_available": [
          {
            "vehicle_type_id": "abc123",
            "count": 1
          },
          {
            "vehicle_type_id": "def456",
            "count": 0
          }
        ]
      },
      {
        "station_id": "station2",
        "is_installed": true,
        "is_renting": true,
        "is_returning": true,
        "last_reported": 1609866106,
        "num_docks_available": 8,
        "num_docks_disabled" : 1,
        "vehicle_docks_available": [
          {
            "vehicle_type_ids": [ "abc123" ],
            "count": 6
          },
          {
            "vehicle_type_ids": [ "def456" ],
            "count": 2
          }
        ],
        "num_bikes_available": 6,
        "num_bikes_disabled": 1, 
        "vehicle_types_available": [
          {
            "vehicle_type_id": "abc123",
            "count": 2
          },
          {
            "vehicle_type_id": "def456",
            "count": 4
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 807: section "free_bike_status.json", Example 1: Micromobility
    "free_bike_status": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "bikes": [
      {
        "bike_id": "973a5c94-c288-4a2b-afa6-de8aeb6ae2e5",
        "last_reported": 1609866109,
        "lat": 12.34,
        "lon": 56.78,
        "is_reserved": false,
        "is_disabled": false,
        "vehicle_type_id": "abc123",
        "rental_uris": {
          "android": "https://www.example.com/app?bike_id=973a5c94-c288-4a2b-afa6-de8aeb6ae2e5&platform=android&",
          "ios": "https://www.example.com/app?bike_id=973a5c94-c288-4a2b-afa6-de8aeb6ae2e5&platform=ios"
        }
      },
      {
        "bike_id": "987fd100-b822-4347-86a4-b3eef8ca8b53",
        "last_reported": 1609866204,
        "is_reserved": false,
        "is_disabled": false,
        "vehicle_type_id": "def456",
        "current_range_meters": 6543.0,
        "station_id": "86",
        "pricing_plan_id": "plan3"
      }
    ]
  }
}""",
    # gbfs.md line 1054: section "system_pricing_plans.json", Example 1 (plan2: per-km overage after 10 km)
    "system_pricing_plans_1": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "plans": [
      {
        "plan_id": "plan2",
        "name": "One-Way",
        "currency": "USD",
        "price": 2.00,
        "is_taxable": false,
        "description": "Includes 10km, overage fees apply after 10km.",
        "per_km_pricing": [
          {
            "start": 10,
            "rate": 1.00,
            "interval": 1,
            "end": 25
          },
          {
            "start": 25,
            "rate": 0.50,
            "interval": 1
          },
          {
            "start": 25,
            "rate": 3.00,
            "interval": 5
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 1096: section "system_pricing_plans.json", Example 2 (plan3: per-km + per-minute rate)
    "system_pricing_plans_2": r"""{
  "last_updated": 1640887163,
  "ttl": 0,
  "version": "2.3",
  "data": {
    "plans": [
      {
        "plan_id": "plan3",
        "name": "Simple Rate",
        "currency": "CAD",
        "price": 3.00,
        "is_taxable": true,
        "description": "$3 unlock fee, $0.25 per kilometer and 0.50 per minute.",
        "per_km_pricing": [
          {
            "start": 0,
            "rate": 0.25,
            "interval": 1
          }
        ],
        "per_min_pricing": [
          {
            "start": 0,
            "rate": 0.50,
            "interval": 1
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 1209: section "geofencing_zones.json", Example:
    "geofencing_zones": r"""{
  "last_updated": 1640887163,
  "ttl": 60,
  "version": "2.3",
  "data": {
    "geofencing_zones": {
      "type": "FeatureCollection",
      "features": [
        {
          "type": "Feature",
          "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
              [
                [
                  [
                    -122.578067,
                    45.562982
                  ],
                  [
                    -122.661838,
                    45.562741
                  ],
                  [
                    -122.661151,
                    45.504542
                  ],
                  [
                    -122.578926,
                    45.5046625
                  ],
                  [
                    -122.578067,
                    45.562982
                  ]
                ]
              ],
              [
                [
                  [
                    -122.650680,
                    45.548197
                  ],
                  [
                    -122.650852,
                    45.534731
                  ],
                  [
                    -122.630939,
                    45.535212
                  ],
                  [
                    -122.630424,
                    45.548197
                  ],
                  [
                    -122.650680,
                    45.548197
                  ]
                ]
              ]
            ]
          },
          "properties": {
            "name": "NE 24th/NE Knott",
            "start": 1593878400,
            "end": 1593907260,
            "rules": [
              {
                "vehicle_type_id": [
                  "moped1",
                  "car1"
                ],
                "ride_allowed": false,
                "ride_through_allowed": true,
                "maximum_speed_kph": 10,
                "station_parking": true
              }
            ]
          }
        }
      ]
    }
  }
}""",
}

# Verbatim JSON code blocks from gbfs.md at tag v3.0 (key -> gbfs.md line of the opening ```json fence).
_V30 = {
    # gbfs.md line 295: section "gbfs.json", Example:
    "gbfs": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "feeds": [
      {
        "name": "system_information",
        "url": "https://www.example.com/gbfs/1/system_information"
      },
      {
        "name": "station_information",
        "url": "https://www.example.com/gbfs/1/station_information"
      }
    ]
  }
}""",
    # gbfs.md line 331: section "manifest.json", Example:
    "manifest": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl":0,
  "version":"3.0",
  "data":{
    "datasets":[
      {
        "system_id":"example_berlin",
        "versions":[
          {
            "version":"2.0",
            "url":"https://berlin.example.com/gbfs/2/gbfs"
          },
          {
            "version":"3.0",
            "url":"https://berlin.example.com/gbfs/3/gbfs"
          }
        ]
      },
      {
        "system_id":"example_paris",
        "versions":[
          {
            "version":"2.0",
            "url":"https://paris.example.com/gbfs/2/gbfs"
          },
          {
            "version":"3.0",
            "url":"https://paris.example.com/gbfs/3/gbfs"
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 447: section "system_information.json", Example:
    "system_information": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 1800,
  "version": "3.0",
  "data": {
    "system_id": "example_cityname",
    "languages": ["en"],
    "name": [
      {
        "text": "Example Bike Rental",
        "language": "en"
      }
    ],
    "short_name": [
      {
        "text": "Example Bike",
        "language": "en"
      }
    ],
    "operator": [
      {
        "text": "Example Sharing, Inc",
        "language": "en"
      }
    ],
    "opening_hours": "Apr 1-Nov 3 00:00-24:00",
    "start_date": "2010-06-10",
    "url": "https://www.example.com",
    "purchase_url": "https://www.example.com",
    "phone_number": "+18005551234",
    "email": "customerservice@example.com",
    "feed_contact_email": "datafeed@example.com",
    "timezone": "America/Chicago",
    "license_url": "https://www.example.com/data-license.html",
    "terms_url": [
      {
         "text": "https://www.example.com/en/terms",
         "language": "en"
      }
    ],
    "terms_last_updated": "2021-06-21",
    "privacy_url": [
      {
         "text": "https://www.example.com/en/privacy-policy",
         "language": "en"
      }
    ],
    "privacy_last_updated": "2019-01-13",
    "rental_apps": {
      "android": {
        "discovery_uri": "com.example.android://",
        "store_uri": "https://play.google.com/store/apps/details?id=com.example.android"
      },
      "ios": {
        "store_uri": "https://apps.apple.com/app/apple-store/id123456789",
        "discovery_uri": "com.example.ios://"
      }
    },
    "brand_assets": {
        "brand_last_modified": "2021-06-15",
        "brand_image_url": "https://www.example.com/assets/brand_image.svg",
        "brand_image_url_dark": "https://www.example.com/assets/brand_image_dark.svg",
        "color": "#C2D32C",
        "brand_terms_url": "https://www.example.com/assets/brand.pdf"
      }
      
  }
}""",
    # gbfs.md line 559: section "vehicle_types.json", Example:
    "vehicle_types": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "vehicle_types": [
      {
        "vehicle_type_id": "abc123",
        "form_factor": "bicycle",
        "propulsion_type": "human",
        "name": [
          {
            "text": "Example Basic Bike",
            "language": "en"
          }
        ],
        "wheel_count": 2,
        "default_reserve_time": 30,
        "return_constraint": "any_station",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_bicycle.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_bicycle_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "bike_plan_1",
        "pricing_plan_ids": [
          "bike_plan_1",
          "bike_plan_2",
          "bike_plan_3"
        ]
      },
      {
        "vehicle_type_id": "cargo123",
        "form_factor": "cargo_bicycle",
        "propulsion_type": "human",
        "name": [
          {
            "text": "Example Cargo Bike",
            "language": "en"
          }
        ],
        "description": [
          {
            "text": "Extra comfortable seat with additional suspension.\n\nPlease be aware of the cargo box lock: you need to press it down before pulling it up again!",
            "language": "en"
          }
        ],            
        "wheel_count": 3,
        "default_reserve_time": 30,
        "return_constraint": "roundtrip_station",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_cargobicycle.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_cargobicycle_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "cargo_plan_1",
        "pricing_plan_ids": [
          "cargo_plan_1",
          "cargo_plan_2",
          "cargo_plan_3"
        ]
      },
      {
        "vehicle_type_id": "def456",
        "form_factor": "scooter_standing",
        "propulsion_type": "electric",
        "name": [
          {
            "text": "Example E-scooter V2",
            "language": "en"
          }
        ],
        "wheel_count": 2,
        "max_permitted_speed": 25,
        "rated_power": 350,
        "default_reserve_time": 30,
        "max_range_meters": 12345,
        "return_constraint": "free_floating",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_escooter.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_escooter_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "scooter_plan_1"
      },
      {
        "vehicle_type_id": "car1",
        "form_factor": "car",
        "rider_capacity": 5,
        "cargo_volume_capacity": 200,
        "propulsion_type": "combustion_diesel",
        "eco_labels": [
          {
            "country_code": "FR",
            "eco_sticker": "critair_1"
          },
          {
            "country_code": "DE",
            "eco_sticker": "euro_2"
          }
        ],
        "name": [
          {
            "text": "Four-door Sedan",
            "language": "en"
          }
        ],
        "wheel_count": 4,
        "default_reserve_time": 0,
        "max_range_meters": 523992,
        "return_constraint": "roundtrip_station",
        "vehicle_accessories": [
          "doors_4",
          "automatic",
          "cruise_control"
        ],
        "g_CO2_km": 120,
        "vehicle_image": "https://www.example.com/assets/renault-clio.jpg",
        "make": [
          {
            "text": "Renault",
            "language": "en"
          }
        ],
        "model": [
          {
            "text": "Clio",
            "language": "en"
          }
        ],
        "color": "white",
        "vehicle_assets": {
          "icon_url": "https://www.example.com/assets/icon_car.svg",
          "icon_url_dark": "https://www.example.com/assets/icon_car_dark.svg",
          "icon_last_modified": "2021-06-15"
        },
        "default_pricing_plan_id": "car_plan_1"
      }
    ]
  }
}""",
    # gbfs.md line 742: section "station_information.json", Example 1: Physical station with limited hours of operation
    "station_information_1": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "stations": [
      {
        "station_id": "pga",
        "name": [
          {
            "text": "Parking garage A",
            "language": "en"
          }
        ],
        "lat": 12.345678,
        "lon": 45.678901,
        "station_opening_hours": "Su-Th 05:00-22:00; Fr-Sa 05:00-01:00",
        "parking_type": "underground_parking",
        "parking_hoop": false,
        "contact_phone": "+33109874321",
        "is_charging_station": true,
        "vehicle_docks_capacity": [
          {
            "vehicle_type_ids": ["abc123"],
            "count": 7
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 778: section "station_information.json", Example 2: Virtual station
    "station_information_2": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "stations": [
      {
        "station_id": "station12",
        "name": [
          {
            "text": "SE Belmont & SE 10th",
            "language": "en"
          }
        ],
        "lat": 45.516445,
        "lon": -122.655775,
        "is_valet_station": false,
        "is_virtual_station": true,
        "is_charging_station": false,
        "station_area": {
          "type": "MultiPolygon",
          "coordinates": [
            [
              [
                [
                  -122.655775,
                  45.516445
                ],
                [
                  -122.655705,
                  45.516445
                ],
                [
                  -122.655705,
                  45.516495
                ],
                [
                  -122.655775,
                  45.516495
                ],
                [
                  -122.655775,
                  45.516445
                ]
              ]
            ]
          ]
        },
        "capacity": 16,
        "vehicle_types_capacity": [
          {
            "vehicle_type_ids": ["abc123", "def456"],
            "count": 15
          },
          {
            "vehicle_type_ids": ["def456"],
            "count": 1
          }

        ]
      }
    ]
  }
}""",
    # gbfs.md line 870: section "station_status.json", Example:
    "station_status": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "stations": [
      {
        "station_id": "station1",
        "is_installed": true,
        "is_renting": true,
        "is_returning": true,
        "last_reported": "2023-07-17T13:34:13+02:00",
        "num_docks_available": 3,
        "num_docks_disabled" : 1,
        "vehicle_docks_available": [
          {
            "vehicle_type_ids": [ "abc123", "def456" ],
            "count": 2
          },
          {
            "vehicle_type_ids": [ "def456" ],
            "count": 1
          }
        ],
        "num_vehicles_available": 1,
        "num_vehicles_disabled": 2,
        "vehicle_types_available": [
          {
            "vehicle_type_id": "abc123",
            "count": 1
          },
          {
            "vehicle_type_id": "def456",
            "count": 0
          }
        ]
      },
      {
        "station_id": "station2",
        "is_installed": true,
        "is_renting": true,
        "is_returning": true,
        "last_reported": "2023-07-17T13:34:13+02:00",
        "num_docks_available": 8,
        "num_docks_disabled" : 1,
        "vehicle_docks_available": [
          {
            "vehicle_type_ids": [ "abc123" ],
            "count": 6
          },
          {
            "vehicle_type_ids": [ "def456" ],
            "count": 2
          }
        ],
        "num_vehicles_available": 6,
        "num_vehicles_disabled": 1, 
        "vehicle_types_available": [
          {
            "vehicle_type_id": "abc123",
            "count": 2
          },
          {
            "vehicle_type_id": "def456",
            "count": 4
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 973: section "vehicle_status.json", Example 1: Micromobility
    "vehicle_status": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl":0,
  "version":"3.0",
  "data":{
    "vehicles":[
      {
        "vehicle_id":"973a5c94-c288-4a2b-afa6-de8aeb6ae2e5",
        "last_reported": "2023-07-17T13:34:13+02:00",
        "lat":12.345678,
        "lon":56.789012,
        "is_reserved":false,
        "is_disabled":false,
        "vehicle_type_id":"abc123",
        "rental_uris": {
          "android": "https://www.example.com/app?vehicle_id=973a5c94-c288-4a2b-afa6-de8aeb6ae2e5&platform=android&",
          "ios": "https://www.example.com/app?vehicle_id=973a5c94-c288-4a2b-afa6-de8aeb6ae2e5&platform=ios"
        }
      },
      {
        "vehicle_id":"987fd100-b822-4347-86a4-b3eef8ca8b53",
        "last_reported": "2023-07-17T13:34:13+02:00",
        "is_reserved":false,
        "is_disabled":false,
        "vehicle_type_id":"def456",
        "current_range_meters":6543.0,
        "station_id":"86",
        "pricing_plan_id":"plan3"
      }
    ]
  }
}""",
    # gbfs.md line 1152: section "system_pricing_plans.json", Example 1 (plan2: per-km overage after 10 km)
    "system_pricing_plans_1": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "plans": [
      {
        "plan_id": "plan2",
        "name": [
          {
            "text": "One-Way",
            "language": "en"
          }
        ],
        "currency": "USD",
        "price": 2.00,
        "is_taxable": false,
        "description": [
          {
            "text": "Includes 10km, overage fees apply after 10km.",
            "language": "en"
          }
        ],
        "per_km_pricing": [
          {
            "start": 10,
            "rate": 1.00,
            "interval": 1,
            "end": 25
          },
          {
            "start": 25,
            "rate": 0.50,
            "interval": 1
          },
          {
            "start": 25,
            "rate": 3.00,
            "interval": 5
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 1204: section "system_pricing_plans.json", Example 2 (plan3: per-km + per-minute rate)
    "system_pricing_plans_2": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 0,
  "version": "3.0",
  "data": {
    "plans": [
      {
        "plan_id": "plan3",
        "name": [
          {
            "text": "Simple Rate",
            "language": "en"
          }
        ],
        "currency": "CAD",
        "price": 3.00,
        "is_taxable": true,
        "description": [
          {
            "text": "$3 unlock fee, $0.25 per kilometer and 0.50 per minute.",
            "language": "en"
          }
        ],
        "per_km_pricing": [
          {
            "start": 0,
            "rate": 0.25,
            "interval": 1
          }
        ],
        "per_min_pricing": [
          {
            "start": 0,
            "rate": 0.50,
            "interval": 1
          }
        ]
      }
    ]
  }
}""",
    # gbfs.md line 1367: section "geofencing_zones.json > Geofencing Examples" (first block)
    "geofencing_zones": r"""{
  "last_updated": "2023-07-17T13:34:13+02:00",
  "ttl": 60,
  "version": "3.0",
  "data": {
    "geofencing_zones": {
      "type": "FeatureCollection",
      "features": [
        {
          "type": "Feature",
          "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
              [
                [
                  [
                    -122.578067,
                    45.562982
                  ],
                  [
                    -122.661838,
                    45.562741
                  ],
                  [
                    -122.661151,
                    45.504542
                  ],
                  [
                    -122.578926,
                    45.5046625
                  ],
                  [
                    -122.578067,
                    45.562982
                  ]
                ]
              ]
            ]
          },
          "properties": {
            "name": [
              {
                "text": "NE 24th/NE Knott",
                "language": "en"
              }
            ],
            "start": "2023-07-17T13:34:13+02:00",
            "end": "2024-07-18T13:34:13+02:00",
            "rules": [
              {
                "vehicle_type_ids": [
                  "moped1",
                  "car1"
                ],
                "ride_start_allowed": true,
                "ride_end_allowed": true,
                "maximum_speed_kph": 10,
                "station_parking": true
              }
            ]
          }
        }
      ]
    },
    "global_rules": [
      {
        "ride_start_allowed": false,
        "ride_end_allowed": false,
        "ride_through_allowed": true
      }
    ]
  }
}""",
}


def _load(blocks):
    return {k: json.loads(v) for k, v in blocks.items()}


def _feeds_list(base_url, names):
    return [{"name": n, "url": f"{base_url}/{n}.json"} for n in names]


def _feed_23(base_url):
    x = _load(_V23)
    out = {}

    # gbfs.json: the example has "en" and "fr" with only two feeds pointing at www.example.com.
    # CHANGE: keep only "en"; list every file of this fixture, with URLs base_url/<name>.json.
    gbfs = x["gbfs"]
    gbfs["data"] = {
        "en": {
            "feeds": _feeds_list(
                base_url,
                [
                    "system_information",
                    "vehicle_types",
                    "station_information",
                    "station_status",
                    "free_bike_status",
                    "system_pricing_plans",
                    "geofencing_zones",
                ],
            )
        }
    }
    out["gbfs.json"] = gbfs

    out["system_information.json"] = x["system_information"]  # unchanged

    vt = x["vehicle_types"]
    t = {v["vehicle_type_id"]: v for v in vt["data"]["vehicle_types"]}
    # CHANGE: the example references plans bike_plan_1..3, cargo_plan_1..3, scooter_plan_1,
    # car_plan_1, none of which is published; the only plans in the spec's examples are plan2 and
    # plan3 (system_pricing_plans.json). Point every vehicle type at those.
    t["abc123"]["default_pricing_plan_id"] = "plan2"  # was "bike_plan_1"
    t["abc123"]["pricing_plan_ids"] = [
        "plan2",
        "plan3",
    ]  # was ["bike_plan_1","bike_plan_2","bike_plan_3"]
    # CHANGE: cargo123 uses misspelled keys "default_pricing_plan"/"pricing_plans" (spec fields are
    # default_pricing_plan_id/pricing_plan_ids); rename them, and remap the ids as above.
    del t["cargo123"]["default_pricing_plan"]  # was "cargo_plan_1"
    del t["cargo123"]["pricing_plans"]  # was ["cargo_plan_1","cargo_plan_2","cargo_plan_3"]
    t["cargo123"]["default_pricing_plan_id"] = "plan2"
    t["cargo123"]["pricing_plan_ids"] = ["plan2", "plan3"]
    t["def456"]["default_pricing_plan_id"] = (
        "plan3"  # was "scooter_plan_1" (plan3 = the plan the example def456 vehicle uses)
    )
    t["car1"]["default_pricing_plan_id"] = "plan3"  # was "car_plan_1"
    out["vehicle_types.json"] = vt

    # station_information.json: CHANGE: the two examples (Physical station "pga", Virtual station
    # "station12") merged into one stations array; both have the same last_updated/ttl/version.
    si = x["station_information_1"]
    si["data"]["stations"] += x["station_information_2"]["data"]["stations"]
    vc = si["data"]["stations"][1]["vehicle_capacity"]
    # CHANGE: vehicle_capacity key "ghi789" is not a vehicle type; replaced by "cargo123" (same count 16).
    vc["cargo123"] = vc.pop("ghi789")
    out["station_information.json"] = si

    ss = x["station_status"]
    # CHANGE: station_status names "station1"/"station2", which station_information lacks;
    # renamed to the two published stations, in order (station2's 8+1 docks + 6+1 bikes = 16 =
    # station12 capacity).
    ss["data"]["stations"][0]["station_id"] = "pga"  # was "station1"
    ss["data"]["stations"][1]["station_id"] = "station12"  # was "station2"
    out["station_status.json"] = ss

    fb = x["free_bike_status"]
    # CHANGE: the second bike (def456, docked) sits at station "86", which is not published;
    # moved to "station12" (its status lists 4 available def456). pricing_plan_id "plan3" kept (now published).
    fb["data"]["bikes"][1]["station_id"] = "station12"  # was "86"
    out["free_bike_status.json"] = fb

    # system_pricing_plans.json: CHANGE: the two examples (plan2, plan3) merged into one plans
    # array (same last_updated/ttl). Added because vehicles/vehicle types reference plan ids.
    # (Note: plan2 is USD and plan3 CAD in the spec; left as is.)
    pp = x["system_pricing_plans_1"]
    pp["data"]["plans"] += x["system_pricing_plans_2"]["data"]["plans"]
    out["system_pricing_plans.json"] = pp

    gz = x["geofencing_zones"]
    rule = gz["data"]["geofencing_zones"]["features"][0]["properties"]["rules"][0]
    # CHANGE: rule vehicle_type_id ["moped1","car1"]: "moped1" is not a vehicle type; replaced by
    # "def456" (the motorised e-scooter).
    rule["vehicle_type_id"] = ["def456", "car1"]  # was ["moped1", "car1"]
    out["geofencing_zones.json"] = gz
    return out


def _feed_30(base_url):
    x = _load(_V30)
    out = {}

    man = x["manifest"]
    # CHANGE: the example lists two other systems (example_berlin, example_paris) with 2.0 and 3.0
    # URLs elsewhere; replaced by one dataset for this system (system_id from system_information)
    # whose only version is 3.0 at base_url/gbfs.json.
    man["data"]["datasets"] = [
        {
            "system_id": "example_cityname",
            "versions": [{"version": "3.0", "url": f"{base_url}/gbfs.json"}],
        }
    ]
    out["manifest.json"] = man

    gbfs = x["gbfs"]
    # CHANGE: the example lists only two feeds at www.example.com; list every file of this
    # fixture, with URLs base_url/<name>.json.
    gbfs["data"]["feeds"] = _feeds_list(
        base_url,
        [
            "system_information",
            "vehicle_types",
            "station_information",
            "station_status",
            "vehicle_status",
            "system_pricing_plans",
            "geofencing_zones",
        ],
    )
    out["gbfs.json"] = gbfs

    sysinfo = x["system_information"]
    # CHANGE: added manifest_url (optional 3.0 field) so the published manifest.json is discoverable
    # (the validator only fetches/validates the manifest through this field).
    sysinfo["data"]["manifest_url"] = f"{base_url}/manifest.json"
    out["system_information.json"] = sysinfo

    vt = x["vehicle_types"]
    t = {v["vehicle_type_id"]: v for v in vt["data"]["vehicle_types"]}
    # CHANGE: the example references plans bike_plan_1..3, cargo_plan_1..3, scooter_plan_1,
    # car_plan_1, none of which is published; the only plans in the spec's examples are plan2 and
    # plan3 (system_pricing_plans.json). Point every vehicle type at those.
    t["abc123"]["default_pricing_plan_id"] = "plan2"  # was "bike_plan_1"
    t["abc123"]["pricing_plan_ids"] = [
        "plan2",
        "plan3",
    ]  # was ["bike_plan_1","bike_plan_2","bike_plan_3"]
    t["cargo123"]["default_pricing_plan_id"] = "plan2"  # was "cargo_plan_1"
    t["cargo123"]["pricing_plan_ids"] = [
        "plan2",
        "plan3",
    ]  # was ["cargo_plan_1","cargo_plan_2","cargo_plan_3"]
    t["def456"]["default_pricing_plan_id"] = (
        "plan3"  # was "scooter_plan_1" (plan3 = the plan the example def456 vehicle uses)
    )
    t["car1"]["default_pricing_plan_id"] = "plan3"  # was "car_plan_1"
    out["vehicle_types.json"] = vt

    # station_information.json: CHANGE: the two examples (Physical station "pga", Virtual station
    # "station12") merged into one stations array; both have the same last_updated/ttl/version.
    si = x["station_information_1"]
    si["data"]["stations"] += x["station_information_2"]["data"]["stations"]
    # CHANGE: pga's vehicle_docks_capacity lists only "abc123" docks, but its status (below) reports
    # docks available for "def456"; added "def456" to the 7 docks (the v2.3 pga example also docks def456).
    si["data"]["stations"][0]["vehicle_docks_capacity"][0]["vehicle_type_ids"] = [
        "abc123",
        "def456",
    ]  # was ["abc123"]
    out["station_information.json"] = si

    ss = x["station_status"]
    # CHANGE: station_status names "station1"/"station2", which station_information lacks;
    # renamed to the two published stations, in order (totals match: station1 3+1 docks + 1+2
    # vehicles = 7 = pga capacity; station2 8+1+6+1 = 16 = station12 capacity).
    ss["data"]["stations"][0]["station_id"] = "pga"  # was "station1"
    ss["data"]["stations"][1]["station_id"] = "station12"  # was "station2"
    out["station_status.json"] = ss

    vs = x["vehicle_status"]
    # CHANGE: the second vehicle (def456, docked) sits at station "86", which is not published;
    # moved to "station12" (its status lists 4 available def456). pricing_plan_id "plan3" kept (now published).
    vs["data"]["vehicles"][1]["station_id"] = "station12"  # was "86"
    out["vehicle_status.json"] = vs

    # system_pricing_plans.json: CHANGE: the two examples (plan2, plan3) merged into one plans
    # array (same last_updated/ttl). Added because vehicles/vehicle types reference plan ids.
    # (Note: plan2 is USD and plan3 CAD in the spec; left as is.)
    pp = x["system_pricing_plans_1"]
    pp["data"]["plans"] += x["system_pricing_plans_2"]["data"]["plans"]
    out["system_pricing_plans.json"] = pp

    gz = x["geofencing_zones"]
    rule = gz["data"]["geofencing_zones"]["features"][0]["properties"]["rules"][0]
    # CHANGE: rule vehicle_type_ids ["moped1","car1"]: "moped1" is not a vehicle type; replaced by
    # "def456" (the motorised e-scooter).
    rule["vehicle_type_ids"] = ["def456", "car1"]  # was ["moped1", "car1"]
    # CHANGE: the rule lacks ride_through_allowed, REQUIRED in 3.0 (validator: "must have required
    # property 'ride_through_allowed'"); set to true, as in the same zone's v2.3 example rule.
    rule["ride_through_allowed"] = True
    out["geofencing_zones.json"] = gz
    return out


def feed(version: str, base_url: str) -> dict[str, dict]:
    """Return {file name: JSON body} for GBFS "2.3" or "3.0"; URLs inside point at base_url + "/<name>.json"."""
    base_url = base_url.rstrip("/")
    if version == "2.3":
        return _feed_23(base_url)
    if version == "3.0":
        return _feed_30(base_url)
    raise ValueError(f"unsupported GBFS version {version!r} (have: {', '.join(SOURCE)})")
