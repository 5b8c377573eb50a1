# SPDX-License-Identifier: EUPL-1.2
"""LoRaWAN network servers and plain MQTT devices → one uplink shape.

Each reader takes a parsed JSON document as the network sends it and returns an `Uplink`:
which device, when, the decoded values (or the raw payload for a decoder of ours), and an id
that stays the same when the network delivers the message again. Anything it cannot read is a
`PayloadInvalid` naming what is wrong; ingest keeps the payload in the dead-letter table.

- The Things Stack v3: uplink messages (webhook, MQTT `v3/<app>@<tenant>/devices/<dev>/up`,
  Storage Integration API `{"result": ...}` records);
- ChirpStack v4 `up` events (HTTP integration `?event=up`, JSON encoding) and the v3 legacy shape;
- plain JSON of a device of ours (`{"time": ..., "values": {...}}` or flat values).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.base import PayloadInvalid

MAX_VALUES = 64  # values in one uplink; more is not a sensor


@dataclass(frozen=True)
class Uplink:
    network: str  # "tts" | "chirpstack" | "mqtt"
    device: str  # the key a Device is registered under
    time: dt.datetime  # when the values were measured (as the network saw it)
    message_id: str
    values: dict[str, Any] | None = None  # decoded by the network or the device itself
    raw: bytes | None = None  # the frame payload, for a decoder of ours
    f_port: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_time(value: Any, where: str) -> dt.datetime:
    """RFC 3339 with up to nanoseconds (TTS writes nine digits), always with a time zone."""
    if not isinstance(value, str) or not value:
        raise PayloadInvalid(f"{where}: a time (RFC 3339) is missing")
    text = value.strip().replace("Z", "+00:00")
    main, dot, rest = text.partition(".")
    if dot:  # Python reads at most six fractional digits
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{main}.{rest[: min(digits, 6)]}{rest[digits:]}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise PayloadInvalid(f"{where}: {value[:40]!r} is not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        raise PayloadInvalid(f"{where}: {value[:40]!r} has no time zone")
    return parsed.astimezone(dt.UTC)


def _object(doc: Any, name: str, where: str) -> dict:
    value = doc.get(name) if isinstance(doc, dict) else None
    if not isinstance(value, dict):
        raise PayloadInvalid(f"{where}: the object {name!r} is missing")
    return value


def _base64(value: Any, where: str) -> bytes | None:
    if value in (None, ""):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise PayloadInvalid(f"{where}: not base64") from None


def _values(value: Any, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PayloadInvalid(f"{where}: decoded values must be a JSON object")
    if len(value) > MAX_VALUES:
        raise PayloadInvalid(f"{where}: {len(value)} values, at most {MAX_VALUES}")
    return value


def tts_v3(doc: Any) -> Uplink:
    """An uplink of The Things Stack v3 (webhook or MQTT body, or a Storage API record)."""
    if isinstance(doc, dict) and "result" in doc and "uplink_message" not in doc:
        doc = doc["result"]
    ids = _object(doc, "end_device_ids", "end_device_ids")
    message = _object(doc, "uplink_message", "uplink_message")
    device_id = ids.get("device_id")
    if not isinstance(device_id, str) or not device_id:
        raise PayloadInvalid("end_device_ids.device_id is missing")
    application = (ids.get("application_ids") or {}).get("application_id", "")
    key = ids.get("dev_eui") or f"{application}/{device_id}"
    time = parse_time(
        message.get("received_at") or doc.get("received_at"), "uplink_message.received_at"
    )
    correlation = next(
        (c for c in doc.get("correlation_ids") or [] if str(c).startswith("as:up:")), ""
    )
    counter = message.get("f_cnt")
    message_id = correlation or f"{key}:{counter}:{time.isoformat()}"
    return Uplink(
        network="tts",
        device=str(key).lower(),
        time=time,
        message_id=str(message_id),
        values=_values(message.get("decoded_payload"), "uplink_message.decoded_payload"),
        raw=_base64(message.get("frm_payload"), "uplink_message.frm_payload"),
        f_port=message.get("f_port"),
    )


def _eui(value: Any, where: str) -> str:
    """A DevEUI as 16 hex digits: ChirpStack v4 writes hex, v3's protobuf JSON base64."""
    if isinstance(value, str) and len(value) == 16:
        try:
            int(value, 16)
            return value.lower()
        except ValueError:
            pass
    raw = _base64(value, where)
    if raw is None or len(raw) != 8:
        raise PayloadInvalid(f"{where}: not a DevEUI (16 hex digits)")
    return raw.hex()


def chirpstack_v4(doc: Any) -> Uplink:
    """A ChirpStack v4 `up` event (HTTP integration, JSON encoding)."""
    info = _object(doc, "deviceInfo", "deviceInfo")
    eui = _eui(info.get("devEui"), "deviceInfo.devEui")
    time = parse_time(doc.get("time"), "time")
    counter = doc.get("fCnt", 0)
    return Uplink(
        network="chirpstack",
        device=eui,
        time=time,
        message_id=str(doc.get("deduplicationId") or f"{eui}:{counter}:{time.isoformat()}"),
        values=_values(doc.get("object"), "object"),
        raw=_base64(doc.get("data"), "data"),
        f_port=doc.get("fPort"),
    )


def chirpstack_v3(doc: Any) -> Uplink:
    """ChirpStack v3's legacy uplink (devEUI, rxInfo[].time, object)."""
    if not isinstance(doc, dict):
        raise PayloadInvalid("the uplink must be a JSON object")
    eui = _eui(doc.get("devEUI"), "devEUI")
    received = doc.get("rxInfo") or [{}]
    when = received[0].get("time") if isinstance(received[0], dict) else None
    time = parse_time(when or doc.get("publishedAt"), "rxInfo[0].time")
    counter = doc.get("fCnt", 0)
    return Uplink(
        network="chirpstack",
        device=eui,
        time=time,
        message_id=f"{eui}:{counter}:{time.isoformat()}",
        values=_values(doc.get("object"), "object"),
        raw=_base64(doc.get("data"), "data"),
        f_port=doc.get("fPort"),
    )


def chirpstack(doc: Any) -> Uplink:
    """v4 or the v3 legacy shape, told apart by their device fields."""
    if isinstance(doc, dict) and "deviceInfo" in doc:
        return chirpstack_v4(doc)
    return chirpstack_v3(doc)


def plain(doc: Any, device: str, body: bytes) -> Uplink:
    """A device of ours on `hub/<tenant>/devices/<device>/up`: values and, ideally, a time."""
    if not isinstance(doc, dict):
        raise PayloadInvalid("the message must be a JSON object")
    values = doc.get("values") if isinstance(doc.get("values"), dict) else None
    if values is None:
        values = {k: v for k, v in doc.items() if k not in ("time", "id")}
    time = parse_time(doc.get("time"), "time")
    message_id = str(doc.get("id") or hashlib.sha256(body).hexdigest()[:32])
    return Uplink(
        network="mqtt",
        device=device,
        time=time,
        message_id=message_id,
        values=_values(values, "values"),
    )


# -- payload decoders for devices the network does not decode ----------------------------------


def milesight(raw: bytes) -> dict[str, float]:
    """Milesight's channel/type format (AM10x/AM30x, EM300 and kin): [channel, type, value]...

    Current values only; history records (0x20 0xCE) are skipped.
    """
    values: dict[str, float] = {}
    i = 0
    layout: dict[tuple[int, int], tuple[str, str, float]] = {
        (0x01, 0x75): ("battery", "<B", 1),
        (0x03, 0x67): ("temperature", "<h", 0.1),
        (0x04, 0x68): ("humidity", "<B", 0.5),
        (0x05, 0x6A): ("activity", "<H", 1),
        (0x07, 0x7D): ("co2", "<H", 1),
        (0x08, 0x7D): ("tvoc", "<H", 1),
        (0x09, 0x73): ("pressure", "<H", 0.1),
    }
    while i + 2 <= len(raw):
        channel, kind = raw[i], raw[i + 1]
        i += 2
        if (channel, kind) == (0x20, 0xCE):  # history: time, temperature, humidity, CO2
            i += 9
            continue
        entry = layout.get((channel, kind))
        if entry is None:
            raise PayloadInvalid(
                f"milesight: unknown channel 0x{channel:02x} type 0x{kind:02x} at byte {i - 2}"
            )
        name, form, scale = entry
        size = struct.calcsize(form)
        if i + size > len(raw):
            raise PayloadInvalid(f"milesight: {name} cut off at byte {i}")
        (number,) = struct.unpack_from(form, raw, i)
        values[name] = round(number * scale, 3)
        i += size
    if i != len(raw):
        raise PayloadInvalid(f"milesight: {len(raw) - i} byte(s) left over")
    return values


DECODERS: dict[str, Callable[[bytes], dict[str, Any]]] = {"milesight": milesight}


def decode(uplink: Uplink, decoder: str) -> dict[str, Any]:
    """The uplink's values: the network's own decoding, else the device's decoder of ours."""
    if uplink.values is not None:
        return uplink.values
    if not decoder:
        raise PayloadInvalid("the network did not decode the payload and the device has no decoder")
    function = DECODERS.get(decoder)
    if function is None:
        raise PayloadInvalid(f"unknown decoder {decoder!r}; known: {', '.join(sorted(DECODERS))}")
    if not uplink.raw:
        raise PayloadInvalid("the uplink carries no payload to decode")
    return function(uplink.raw)


def number(value: Any, name: str) -> float:
    """A measurement's result: a finite number (not a boolean, not a numeric string)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadInvalid(f"{name}: expected a number, got {type(value).__name__} {value!r:.40}")
    if not math.isfinite(value):
        raise PayloadInvalid(f"{name}: {value} is not a finite number")
    return float(value)


class TheThingsStack:
    """The Things Stack v3, as a connector (entry point `tts` of `hub.connectors`)."""

    name = "tts"
    kind = "lorawan"
    title = "The Things Stack v3"

    def check(self) -> str:
        return "accepts uplink messages of The Things Stack v3 (webhook and MQTT)"

    def read(self, doc: Any) -> Uplink:
        return tts_v3(doc)


class ChirpStack:
    """ChirpStack v4 (and the v3 legacy shape), as a connector (entry point `chirpstack`)."""

    name = "chirpstack"
    kind = "lorawan"
    title = "ChirpStack"

    def check(self) -> str:
        return "accepts `up` events of ChirpStack v4 and v3 (HTTP integration, JSON)"

    def read(self, doc: Any) -> Uplink:
        return chirpstack(doc)
