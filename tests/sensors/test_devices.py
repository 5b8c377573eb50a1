# SPDX-License-Identifier: EUPL-1.2
"""Registering devices through the API, the bulk CSV import and the admin."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hub.sensors.models import Device, Network
from hub.tenancy.context import system_context
from tests.sensors.test_sta import tokens  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db
URL = "/api/v1/t/haldensleben/sensoren/geraete"


def register(client, token, **body):
    return client.post(
        URL, body, content_type="application/json", headers={"authorization": f"Bearer {token}"}
    )


def test_the_api_registers_a_device_of_the_tenant(client, stations, tokens):  # noqa: F811
    station = stations["haldensleben"]
    body = {
        "network": "chirpstack",
        "key": "A84041000181C061",
        "thing": station.thing.pk,
        "mapping": {"temperature": station.streams["temperature"].pk},
        "decoder": "milesight",
    }
    assert client.post(URL, body, content_type="application/json").status_code == 401
    assert register(client, tokens["barleben"], **body).status_code == 403
    made = register(client, tokens["haldensleben"], **body)
    assert made.status_code == 201, made.content
    assert made.json()["key"] == "a84041000181c061"
    listed = client.get(URL, headers={"authorization": f"Bearer {tokens['haldensleben']}"})
    assert "a84041000181c061" in [d["key"] for d in listed.json()]
    theirs = stations["barleben"].streams["co2"].pk
    for change, status, field, message in (
        ({"network": "sigfox"}, 400, "network", "is not one of tts"),
        ({"key": "../etc"}, 400, "key", "not a device key"),
        ({"decoder": "zauber"}, 400, "decoder", "unknown decoder"),
        ({"thing": stations["barleben"].thing.pk}, 400, "thing", "no thing"),
        ({"mapping": {"co2": theirs}}, 400, "mapping", "is no datastream of thing"),
        ({"mapping": {}}, 400, "mapping", "at least one value"),
        # Barleben's ChirpStack device: the key is taken.
        ({"key": "0101010101010101"}, 409, "key", "another tenant"),
    ):
        refused = register(client, tokens["haldensleben"], **{**body, **change})
        assert refused.status_code == status, change
        assert refused["Content-Type"] == "application/problem+json"
        assert (refused.json()["field"], refused.json()["status"]) == (field, status), change
        assert message in refused.json()["detail"], change


def test_the_csv_import_registers_good_rows_and_names_the_bad(tmp_path, stations, capsys):
    station = stations["haldensleben"]
    temperature, co2 = station.streams["temperature"].pk, station.streams["co2"].pk
    path = tmp_path / "geraete.csv"
    path.write_text(
        "network;key;thing;decoder;mapping\n"
        f"mqtt;laterne-1;{station.thing.pk};;temperature={temperature}\n"
        f"tts;70B3D57ED0001234;{station.thing.pk};milesight;temperature={temperature},co2={co2}\n"
        f"mqtt;laterne-2;{station.thing.pk};;temperature\n"
        f"mqtt;laterne-3;abc;;temperature={temperature}\n"
        f"lora;laterne-4;{station.thing.pk};;temperature={temperature}\n",
        "utf-8",
    )
    call_command("sensors", "import-devices", str(path), "--tenant", "haldensleben")
    out = capsys.readouterr().out
    assert "geraete.csv: 5 rows, 2 registered, 3 refused" in out
    assert "line 4, mapping: 'temperature' is not value=datastream-id" in out
    assert "line 5, thing: 'abc' is not a thing id" in out
    assert "line 6, network: 'lora'" in out
    with system_context():
        tts = Device.objects.get(network=Network.TTS, key="70b3d57ed0001234")
        assert tts.mapping == {"temperature": temperature, "co2": co2}
    broken = tmp_path / "falsch.csv"
    broken.write_text("name;wert\nA;1\n", "utf-8")
    with pytest.raises(CommandError, match="no header line with the columns network, key"):
        call_command("sensors", "import-devices", str(broken), "--tenant", "haldensleben")
    with pytest.raises(CommandError, match="no active tenant"):
        call_command("sensors", "import-devices", str(path), "--tenant", "atlantis")


def test_the_admin_lists_devices_and_dead_letters(client, admin_user, stations):
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    admin_client = client
    assert admin_client.get("/admin/sensors/device/").status_code == 200
    assert admin_client.get("/admin/sensors/deadletter/").status_code == 200
    assert admin_client.get("/admin/sensors/deadletter/add/").status_code == 403
