# SPDX-License-Identifier: EUPL-1.2
"""OCPI 2.2.1 objects a Locations receiver takes in, checked as the specification defines them
(github.com/ocpi/ocpi, tag 2.2.1: mod_locations.asciidoc, types.asciidoc, credentials.asciidoc;
field lengths of Location.address and state as corrected on release-2.2.1-bugfixes).

Written here with pydantic rather than taken from a package: `ocpi-types` (the one on PyPI) is
AGPL-3.0 and generated dataclasses without the length, pattern and enum checks (ADR 0015).
Unknown fields are kept (a later 2.2.x may add some); wrong types, missing required fields,
values outside an enum and over-long strings are refused with the field's path.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from enum import Enum, StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from connectors.base import PayloadInvalid

VERSION = "2.2.1"
# printable ASCII without blanks (CiString) and printable UTF-8 without CR, LF, TAB (string)
CI = r"^[\x21-\x7e]*$"


def ci(n: int):
    return Annotated[str, StringConstraints(max_length=n, pattern=CI)]


def text(n: int):
    return Annotated[str, StringConstraints(max_length=n, pattern=r"^[^\r\n\t]*$")]


class Status(StrEnum):
    AVAILABLE = "AVAILABLE"
    BLOCKED = "BLOCKED"
    CHARGING = "CHARGING"
    INOPERATIVE = "INOPERATIVE"
    OUTOFORDER = "OUTOFORDER"
    PLANNED = "PLANNED"
    REMOVED = "REMOVED"
    RESERVED = "RESERVED"
    UNKNOWN = "UNKNOWN"


CONNECTOR_TYPES = (
    "CHADEMO",
    "CHAOJI",
    "DOMESTIC_A",
    "DOMESTIC_B",
    "DOMESTIC_C",
    "DOMESTIC_D",
    "DOMESTIC_E",
    "DOMESTIC_F",
    "DOMESTIC_G",
    "DOMESTIC_H",
    "DOMESTIC_I",
    "DOMESTIC_J",
    "DOMESTIC_K",
    "DOMESTIC_L",
    "DOMESTIC_M",
    "DOMESTIC_N",
    "DOMESTIC_O",
    "GBT_AC",
    "GBT_DC",
    "IEC_60309_2_single_16",
    "IEC_60309_2_three_16",
    "IEC_60309_2_three_32",
    "IEC_60309_2_three_64",
    "IEC_62196_T1",
    "IEC_62196_T1_COMBO",
    "IEC_62196_T2",
    "IEC_62196_T2_COMBO",
    "IEC_62196_T3A",
    "IEC_62196_T3C",
    "NEMA_5_20",
    "NEMA_6_30",
    "NEMA_6_50",
    "NEMA_10_30",
    "NEMA_10_50",
    "NEMA_14_30",
    "NEMA_14_50",
    "PANTOGRAPH_BOTTOM_UP",
    "PANTOGRAPH_TOP_DOWN",
    "TESLA_R",
    "TESLA_S",
)
ConnectorType = Enum("ConnectorType", {n: n for n in CONNECTOR_TYPES}, type=str)
ConnectorFormat = Enum("ConnectorFormat", {n: n for n in ("SOCKET", "CABLE")}, type=str)
PowerType = Enum(
    "PowerType",
    {n: n for n in ("AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC")},
    type=str,
)
ParkingType = Enum(
    "ParkingType",
    {
        n: n
        for n in (
            "ALONG_MOTORWAY",
            "PARKING_GARAGE",
            "PARKING_LOT",
            "ON_DRIVEWAY",
            "ON_STREET",
            "UNDERGROUND_GARAGE",
        )
    },
    type=str,
)
Capability = Enum(
    "Capability",
    {
        n: n
        for n in (
            "CHARGING_PROFILE_CAPABLE",
            "CHARGING_PREFERENCES_CAPABLE",
            "CHIP_CARD_SUPPORT",
            "CONTACTLESS_CARD_SUPPORT",
            "CREDIT_CARD_PAYABLE",
            "DEBIT_CARD_PAYABLE",
            "PED_TERMINAL",
            "REMOTE_START_STOP_CAPABLE",
            "RESERVABLE",
            "RFID_READER",
            "START_SESSION_CONNECTOR_REQUIRED",
            "TOKEN_GROUP_CAPABLE",
            "UNLOCK_CAPABLE",
        )
    },
    type=str,
)
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$")


def parse_datetime(value: Any) -> dt.datetime:
    """An OCPI DateTime: RFC 3339 in UTC, `Z` optional, no offsets ("+00:00 is not UTC")."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or len(value) > 25 or not DATETIME.match(value):
        raise ValueError("a DateTime in UTC such as 2015-06-29T20:39:09Z")
    stamp = dt.datetime.fromisoformat(value.rstrip("Z")[:26])
    return stamp.replace(tzinfo=dt.UTC)


OcpiDateTime = Annotated[dt.datetime, Field()]


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow", use_enum_values=True)

    @field_validator("last_updated", mode="before", check_fields=False)
    @classmethod
    def _stamp(cls, value):
        return parse_datetime(value)


class GeoLocation(BaseModel):
    latitude: Annotated[
        str, StringConstraints(max_length=10, pattern=r"^-?[0-9]{1,2}\.[0-9]{5,7}$")
    ]
    longitude: Annotated[
        str, StringConstraints(max_length=11, pattern=r"^-?[0-9]{1,3}\.[0-9]{5,7}$")
    ]


class BusinessDetails(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: text(100)
    website: text(255) | None = None


class Connector(_Object):
    id: ci(36)
    standard: ConnectorType
    format: ConnectorFormat
    power_type: PowerType
    max_voltage: int = Field(ge=0)
    max_amperage: int = Field(ge=0)
    max_electric_power: int | None = Field(default=None, ge=0)
    tariff_ids: list[ci(36)] = []
    terms_and_conditions: text(255) | None = None
    last_updated: OcpiDateTime


class Evse(_Object):
    uid: ci(36)
    evse_id: ci(48) | None = None
    status: Status
    capabilities: list[Capability] = []
    connectors: list[Connector] = Field(min_length=1)
    floor_level: text(4) | None = None
    coordinates: GeoLocation | None = None
    physical_reference: text(16) | None = None
    last_updated: OcpiDateTime


class Location(_Object):
    country_code: ci(2)
    party_id: ci(3)
    id: ci(36)
    publish: bool
    name: text(255) | None = None
    address: text(255)
    city: text(45)
    postal_code: text(10) | None = None
    state: text(45) | None = None
    country: ci(3)
    coordinates: GeoLocation
    parking_type: ParkingType | None = None
    evses: list[Evse] = []
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    time_zone: text(255)
    last_updated: OcpiDateTime


class CredentialsRole(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Annotated[str, StringConstraints(pattern=r"^(CPO|EMSP|HUB|NAP|NSP|OTHER|SCSP)$")]
    business_details: BusinessDetails
    party_id: ci(3)
    country_code: ci(2)


class Credentials(BaseModel):
    model_config = ConfigDict(extra="allow")
    token: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=CI)]
    url: text(255)
    roles: list[CredentialsRole] = Field(min_length=1)


KINDS = {"location": Location, "evse": Evse, "connector": Connector}
# What a PATCH may change, per object (ids never change; last_updated is required).
FIXED = {"location": {"id", "country_code", "party_id"}, "evse": {"uid"}, "connector": {"id"}}


def _problem(exc: ValidationError) -> PayloadInvalid:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return PayloadInvalid(f"{where}: {first['msg']}{more}")


def read(kind: str, body: Any) -> BaseModel:
    """A whole Location, EVSE or Connector (PUT); PayloadInvalid names the first field at fault."""
    if not isinstance(body, dict):
        raise PayloadInvalid(f"body: a {kind} object is a JSON object")
    try:
        return KINDS[kind].model_validate(body)
    except ValidationError as exc:
        raise _problem(exc) from None


@cache
def _probe(kind: str, name: str) -> type[BaseModel]:
    """A model of the one field `name` of `kind`, to check a PATCH field by field."""
    annotation = KINDS[kind].model_fields[name].annotation
    return type(
        f"{kind}_{name}",
        (BaseModel,),
        {"__annotations__": {name: annotation}, "model_config": ConfigDict(use_enum_values=True)},
    )


def read_patch(kind: str, body: Any) -> dict[str, Any]:
    """The fields of a PATCH, each checked as its object defines it; `last_updated` required
    (mod_locations: "Any request to the PATCH method SHALL contain the last_updated field")."""
    if not isinstance(body, dict):
        raise PayloadInvalid(f"body: a {kind} patch is a JSON object")
    if "last_updated" not in body:
        raise PayloadInvalid("last_updated: a PATCH SHALL contain last_updated")
    if kind == "location" and "evses" in body:
        raise PayloadInvalid("evses: PUT an EVSE, or PATCH it at its own URL")
    if kind == "evse" and "connectors" in body:
        raise PayloadInvalid("connectors: PUT a Connector, or PATCH it at its own URL")
    model = KINDS[kind]
    out: dict[str, Any] = {}
    for name, value in body.items():
        field = model.model_fields.get(name)
        if field is None:
            out[name] = value  # an unknown field is kept, as on PUT
            continue
        probe = _probe(kind, name)
        try:
            if name == "last_updated":
                out[name] = parse_datetime(value)
            else:
                checked = probe.model_validate({name: value})
                out[name] = getattr(checked, name)
        except (ValidationError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise _problem(exc) from None
            raise PayloadInvalid(f"{name}: {exc}") from None
    return out


def read_credentials(body: Any) -> Credentials:
    if not isinstance(body, dict):
        raise PayloadInvalid("body: a Credentials object is a JSON object")
    try:
        return Credentials.model_validate(body)
    except ValidationError as exc:
        raise _problem(exc) from None


def token_of(header: str) -> list[str]:
    """The token(s) an `Authorization: Token …` header may carry: 2.2.1 sends it Base64
    encoded, 2.1.1 and 2.2 clients often plainly (transport_and_format, d2 note); both are
    tried, the decoded one first. A trailing newline some encoders add is dropped."""
    if not header.startswith("Token "):
        return []
    raw = header[len("Token ") :].strip()
    candidates = []
    try:
        decoded = base64.b64decode(raw, validate=True).decode("utf-8").rstrip("\n")
        if decoded and decoded.isprintable():
            candidates.append(decoded)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    if raw:
        candidates.append(raw)
    return candidates


def encode_token(token: str) -> str:
    return "Token " + base64.b64encode(token.encode()).decode()
