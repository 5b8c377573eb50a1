# SPDX-License-Identifier: EUPL-1.2
"""The entity sets of SensorThings v1.1 (sensing) over the hub's models: their properties,
navigation links and who may read them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q

from hub.sensors import models as m


@dataclass(frozen=True)
class Nav:
    target: str  # entity set
    relation: str  # the ORM query name from this model (filters, and `<relation>_id` to one)
    many: bool
    back: str  # ORM path from the target to this model's id (for filtering the target)
    # The target is readable exactly when this entity is (Observations of a Datastream): reached
    # from an entity already found readable, the link alone selects them, with no visibility
    # join per row.
    inherits: bool = False


@dataclass(frozen=True)
class EntitySet:
    name: str  # "Things"
    single: str  # "Thing"
    model: type[Model]
    fields: dict[str, str]  # JSON property → ORM field
    navs: dict[str, Nav]
    readable: Callable[[frozenset[int]], Q]  # visibility for readers of these tenant ids
    render: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    default_order: tuple[str, ...] = ("id",)


def whole(value: float) -> float | int:
    """A number as it was written: 10, not 10.0, when it has no fraction (results are kept as
    double precision; clients and the OGC suite compare the text)."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _geojson(geometry) -> Any:
    if geometry is None:
        return None
    return json.loads(geometry.geojson, parse_float=lambda text: whole(float(text)))


def _public_thing(path: str) -> Callable[[frozenset[int]], Q]:
    def visible(tenants: frozenset[int]) -> Q:
        return Q(**{f"{path}public": True}) | Q(**{f"{path}tenant_id__in": tenants})

    return visible


def _own_or(path: str) -> Callable[[frozenset[int]], Q]:
    def visible(tenants: frozenset[int]) -> Q:
        return Q(tenant_id__in=tenants) | Q(**{f"{path}public": True})

    return visible


def _result(observation) -> Any:
    if observation.result is not None:
        return whole(observation.result)
    return observation.result_json


SETS: dict[str, EntitySet] = {
    s.name: s
    for s in (
        EntitySet(
            "Things",
            "Thing",
            m.Thing,
            {"name": "name", "description": "description", "properties": "properties"},
            {
                "Locations": Nav("Locations", "locations", True, "things__id"),
                "HistoricalLocations": Nav(
                    "HistoricalLocations", "historical_locations", True, "thing_id"
                ),
                "Datastreams": Nav("Datastreams", "datastreams", True, "thing_id"),
            },
            _public_thing(""),
        ),
        EntitySet(
            "Locations",
            "Location",
            m.Location,
            {
                "name": "name",
                "description": "description",
                "encodingType": "encoding_type",
                "location": "location",
                "properties": "properties",
            },
            {
                "Things": Nav("Things", "things", True, "locations__id"),
                "HistoricalLocations": Nav(
                    "HistoricalLocations", "historical_locations", True, "locations__id"
                ),
            },
            _own_or("things__"),
            render={"location": _geojson},
        ),
        EntitySet(
            "HistoricalLocations",
            "HistoricalLocation",
            m.HistoricalLocation,
            {"time": "time"},
            {
                "Thing": Nav("Things", "thing", False, "historical_locations__id"),
                "Locations": Nav("Locations", "locations", True, "historical_locations__id"),
            },
            _public_thing("thing__"),
        ),
        EntitySet(
            "Sensors",
            "Sensor",
            m.Sensor,
            {
                "name": "name",
                "description": "description",
                "encodingType": "encoding_type",
                "metadata": "metadata",
                "properties": "properties",
            },
            {"Datastreams": Nav("Datastreams", "datastreams", True, "sensor_id")},
            _own_or("datastreams__thing__"),
        ),
        EntitySet(
            "ObservedProperties",
            "ObservedProperty",
            m.ObservedProperty,
            {
                "name": "name",
                "definition": "definition",
                "description": "description",
                "properties": "properties",
            },
            {"Datastreams": Nav("Datastreams", "datastreams", True, "observed_property_id")},
            _own_or("datastreams__thing__"),
        ),
        EntitySet(
            "Datastreams",
            "Datastream",
            m.Datastream,
            {
                "name": "name",
                "description": "description",
                "observationType": "observation_type",
                "unitOfMeasurement": "unit_of_measurement",
                "observedArea": "observed_area",
                "properties": "properties",
            },
            {
                "Thing": Nav("Things", "thing", False, "datastreams__id"),
                "Sensor": Nav("Sensors", "sensor", False, "datastreams__id"),
                "ObservedProperty": Nav(
                    "ObservedProperties", "observed_property", False, "datastreams__id"
                ),
                "Observations": Nav(
                    "Observations", "observation", True, "datastream_id", inherits=True
                ),
            },
            _public_thing("thing__"),
            render={"observedArea": _geojson},
        ),
        EntitySet(
            "Observations",
            "Observation",
            m.Observation,
            {
                "phenomenonTime": "phenomenon_time",
                "resultTime": "result_time",
                "result": "result",
            },
            {
                "Datastream": Nav("Datastreams", "datastream", False, "observation__id"),
                "FeatureOfInterest": Nav(
                    "FeaturesOfInterest", "feature", False, "observations__id"
                ),
            },
            _public_thing("datastream__thing__"),
            default_order=("phenomenon_time", "id"),
        ),
        EntitySet(
            "FeaturesOfInterest",
            "FeatureOfInterest",
            m.FeatureOfInterest,
            {
                "name": "name",
                "description": "description",
                "encodingType": "encoding_type",
                "feature": "feature",
                "properties": "properties",
            },
            {"Observations": Nav("Observations", "observations", True, "feature_id")},
            # A generated feature is as open as the Thing whose Location it copies; one a
            # writer named is its tenant's.
            _own_or("generated_from__things__"),
            render={"feature": _geojson},
        ),
    )
}
RESULT = _result
