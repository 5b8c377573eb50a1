# SPDX-License-Identifier: EUPL-1.2
"""The local address register: lookups without an external geocoder, and its import."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hub.geo import addresses
from hub.geo.models import Address
from hub.opendata.sources import bus_stops
from hub.participation.models import Report
from hub.tenancy.context import system_context
from tests.participation.conftest import post_report

pytestmark = pytest.mark.django_db
# From the charging-station register in ../shared/data (BNetzA, 19.07.2019).
BAHNHOF = (52.2869, 11.4180)  # Bahnhofstraße 1, 39340 Haldensleben, roughly


@pytest.fixture
def register(db):
    call_command("seed", "--only", "addresses")
    return Address.objects.count()


@pytest.mark.parametrize(
    ("text", "street", "number", "postcode", "town"),
    [
        ("Hagenstraße 12, 39340 Haldensleben", "hagenstrasse", "12", "39340", "haldensleben"),
        ("Hagenstr. 12a Haldensleben", "hagenstrasse", "12a", "", "haldensleben"),
        ("Hagen Straße 12 - 14, Haldensleben", "hagenstrasse", "12-14", "", "haldensleben"),
        ("Am Alten Theater 1", "am alten theater", "1", "", ""),
        ("Bornsche Straße", "bornschestrasse", "", "", ""),
    ],
)
def test_addresses_are_read_the_way_people_write_them(text, street, number, postcode, town):
    query = addresses.parse(text)
    assert (query.street, query.number, query.postcode, query.town) == (
        street,
        number,
        postcode,
        town,
    )


@pytest.mark.parametrize("text", ["", "12", "x" * 301, "Markt\x00 1"])
def test_nonsense_is_no_address(text):
    assert addresses.parse(text) is None


def test_a_house_a_street_and_a_stop_are_found(register):
    assert register > 20
    house = addresses.resolve("Bahnhofstraße 1, 39340 Haldensleben")
    assert house.precision == "house"
    assert (house.point.y, house.point.x) == pytest.approx(BAHNHOF, abs=0.01)
    assert addresses.resolve("bahnhofstr. 1 haldensleben").label == house.label
    street = addresses.resolve("Bornsche Straße, Haldensleben")
    assert street.precision == "street"
    stop = addresses.resolve("Hagenstraße 12, Haldensleben", stops=bus_stops())
    assert stop.precision == "stop"
    assert stop.label == "Haldensleben, Hagenstr."
    assert addresses.resolve("Haldensleben, ZOB", stops=bus_stops()).precision == "stop"
    assert addresses.resolve("Irgendwo 5, Nirgendwo", stops=bus_stops()) is None
    # A stop only with its town: "Markt" alone could be any town's market square.
    assert addresses.resolve("Markt 1", stops=bus_stops()) is None
    assert addresses.resolve("Markt, Calvörde", stops=bus_stops()).label == "Calvörde, Markt"


def test_open311_takes_an_address_instead_of_coordinates(client, categories, address, register):
    created = post_report(
        client, address, lat="", long="", address_string="Bahnhofstraße 1, 39340 Haldensleben"
    )
    assert created.status_code == 201
    with system_context():
        report = Report.objects.get(pk=created.json()[0]["service_request_id"])
    assert report.tenant.slug == "haldensleben"
    assert (report.location.y, report.location.x) == pytest.approx(BAHNHOF, abs=0.01)
    unknown = post_report(client, address, lat="", long="", address_string="Irgendwo 5")
    assert unknown.status_code == 400
    assert "not in the local address register" in unknown.json()[0]["description"]


def test_the_report_form_takes_an_address(client, categories, register):
    with system_context():
        category = categories["haldensleben"].category_set.first()
    body = {"category": category.pk, "description": "Laterne aus", "consent": ""}
    unknown = client.post("/t/haldensleben/melden/", {**body, "address": "Irgendwo 5"})
    assert "Diese Adresse kennen wir nicht" in unknown.text
    with system_context():
        assert not Report.objects.exists()
    sent = client.post(
        "/t/haldensleben/melden/", {**body, "address": "Bahnhofstraße 1, Haldensleben"}
    )
    assert sent.status_code == 302
    with system_context():
        report = Report.objects.get(description="Laterne aus")
    assert (report.location.y, report.location.x) == pytest.approx(BAHNHOF, abs=0.01)


def test_import_keeps_good_rows_and_names_the_bad_ones(tmp_path, capsys):
    path = tmp_path / "hauskoordinaten.csv"
    path.write_text(
        "strasse;hausnummer;plz;ort;breitengrad;laengengrad\n"
        "Hagenstraße;12;39340;Haldensleben;52,2890;11,4100\n"
        "Hagenstraße;13;39340;Haldensleben;52,2891;11,4102\n"
        "Hagenstraße;14;39340;Haldensleben;neunzig;11,4\n"
        ";15;39340;Haldensleben;52,2;11,4\n"
        "Hagenstraße;16;39340;Haldensleben;95;11,4\n",
        "utf-8",
    )
    call_command("addresses", "import", str(path), "--source", "Test")
    out = capsys.readouterr().out
    assert "Test: 5 rows, 2 created, 3 refused" in out
    assert "line 4, lat: 'neunzig' is not a number" in out
    assert "line 5, street: street and town are needed" in out
    assert "line 6, lat: coordinates 95.0, 11.4 are outside WGS 84" in out
    assert addresses.resolve("Hagenstraße 13, Haldensleben").precision == "house"
    call_command("addresses", "import", str(path))  # again: updated, not doubled
    assert "2 updated, 3 refused" in capsys.readouterr().out
    assert Address.objects.filter(street="Hagenstraße").count() == 2


def test_import_refuses_files_it_cannot_read(tmp_path):
    missing = tmp_path / "spalten.csv"
    missing.write_text("name;wert\nA;1\n", "utf-8")
    with pytest.raises(CommandError, match="no header line with the columns street, town"):
        call_command("addresses", "import", str(missing))
    binary = tmp_path / "tabelle.csv"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(CommandError, match="not a zip file"):
        call_command("addresses", "import", str(binary))
    with pytest.raises(CommandError, match="no such file"):
        call_command("addresses", "import", str(tmp_path / "fehlt.csv"))
    assert not Address.objects.exists()


def test_import_reads_the_encodings_and_delimiters_offices_send(tmp_path, capsys):
    """Windows-1252 with semicolons (Excel's German CSV), a preamble line above the header."""
    latin = tmp_path / "adressen.csv"
    latin.write_bytes(
        "Stand: 01.12.2026\nStraße;Hausnummer;PLZ;Ort;Breitengrad;Längengrad\n"
        "Große Straße;3;39340;Haldensleben;52,2891;11,4102\n".encode("cp1252")
    )
    call_command("addresses", "import", str(latin))
    assert "1 rows, 1 created" in capsys.readouterr().out
    assert Address.objects.get(number="3").street == "Große Straße"
