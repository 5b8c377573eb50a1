# SPDX-License-Identifier: EUPL-1.2
"""connectors.lorawan on the recorded uplinks of ../shared/data/lorawan (The Things Stack v3,
ChirpStack v4, ChirpStack v3's legacy shape) and on broken ones."""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from django.conf import settings

from connectors import lorawan
from connectors.base import PayloadInvalid

DATA = Path(settings.HUB_DATA_DIR) / "lorawan"


def recorded(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_no_socket_can_be_opened_here():
    with pytest.raises(Exception, match="socket"):
        socket.socket()


def test_tts_v3_mqtt_uplink_as_recorded_refused_without_received_at():
    # The documentation's MQTT example has no received_at: no time, so no observation.
    doc = recorded("tts_v3_uplink_mqtt.json")
    with pytest.raises(PayloadInvalid, match="received_at: a time"):
        lorawan.tts_v3(doc)
    doc["received_at"] = "2026-06-16T08:00:00.123456789Z"
    uplink = lorawan.tts_v3(doc)
    assert uplink.network == "tts"
    assert uplink.device == "4200000000000000"
    assert uplink.message_id == "as:up:01D2CV8HNGJ57G25BW0FCZNY07"
    assert uplink.f_port == 15
    assert uplink.raw is not None


def test_tts_v3_storage_api_records_each_parse():
    lines = (DATA / "tts_v3_uplink_storage_api.ndjson").read_text(encoding="utf-8").splitlines()
    uplinks = [lorawan.tts_v3(json.loads(line)) for line in lines if line.strip()]
    assert uplinks
    assert len({u.message_id for u in uplinks}) == len(uplinks), "message ids must differ"


def test_chirpstack_v4_up_events_each_parse():
    events = recorded("chirpstack_v4_up_docs_events.json")
    events = events if isinstance(events, list) else [events]
    for event in events:
        doc = event.get("body", event) if isinstance(event, dict) else event
        uplink = lorawan.chirpstack(doc)
        assert len(uplink.device) == 16
        int(uplink.device, 16)


def test_chirpstack_v3_legacy_base64_eui():
    doc = {
        "devEUI": base64.b64encode(bytes.fromhex("0102030405060708")).decode(),
        "rxInfo": [{"time": "2026-06-16T08:00:00.123456789Z"}],
        "fCnt": 7,
        "object": {"temperature": 21.5},
    }
    uplink = lorawan.chirpstack(doc)
    assert uplink.device == "0102030405060708"
    assert uplink.time == dt.datetime(2026, 6, 16, 8, 0, 0, 123456, tzinfo=dt.UTC)
    assert uplink.values == {"temperature": 21.5}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "end_device_ids"),
        ({"end_device_ids": {}, "uplink_message": {}}, "device_id is missing"),
        (
            {
                "end_device_ids": {"device_id": "d"},
                "uplink_message": {"received_at": "2026-06-16T08:00:00"},
            },
            "has no time zone",
        ),
        (
            {
                "end_device_ids": {"device_id": "d"},
                "uplink_message": {"received_at": "yesterday"},
            },
            "not an RFC 3339 time",
        ),
        (
            {
                "end_device_ids": {"device_id": "d"},
                "uplink_message": {"received_at": "2026-06-16T08:00:00Z", "frm_payload": "!!"},
            },
            "not base64",
        ),
        (
            {
                "end_device_ids": {"device_id": "d"},
                "uplink_message": {
                    "received_at": "2026-06-16T08:00:00Z",
                    "decoded_payload": {f"v{i}": i for i in range(lorawan.MAX_VALUES + 1)},
                },
            },
            "at most",
        ),
    ],
)
def test_tts_v3_refuses_broken_uplinks_with_a_reason(doc, message):
    with pytest.raises(PayloadInvalid, match=message):
        lorawan.tts_v3(doc)


def test_chirpstack_refuses_a_eui_that_is_not_one():
    with pytest.raises(PayloadInvalid, match="not a DevEUI"):
        lorawan.chirpstack({"deviceInfo": {"devEui": "AQID"}, "time": "2026-06-16T08:00:00Z"})


def test_milesight_decoder_reads_temperature_and_humidity():
    # channel 0x03 type 0x67: temperature int16 LE / 10; channel 0x04 type 0x68: humidity / 2
    values = lorawan.milesight(bytes.fromhex("03671001" + "046871"))
    assert values["temperature"] == pytest.approx(27.2)
    assert values["humidity"] == pytest.approx(56.5)
