# SPDX-License-Identifier: EUPL-1.2
"""Use cases of the region's shared open data: seeding the address register from it."""

from __future__ import annotations

from collections.abc import Iterator

from hub.geo import addresses
from hub.opendata.sources import charging_stations

CHARGING_SOURCE = "Ladesäulenregister der Bundesnetzagentur (CC BY 4.0)"


def charging_register_rows() -> Iterator[tuple[int, dict[str, str]]]:
    """The addresses of the BNetzA charging-station register in ../shared/data."""
    for number, place in enumerate(charging_stations(), start=1):
        head = place.properties["address"]
        match = addresses.HOUSE.match(head)
        postcode, _, town = place.properties["postcode_city"].partition(" ")
        yield (
            number,
            {
                "street": (match["street"] if match else head).strip(),
                "number": ((match and match["number"]) or "").replace(" ", ""),
                "postcode": postcode,
                "town": town.strip(),
                "lat": str(place.lat),
                "lon": str(place.lon),
            },
        )


def seed_addresses(out) -> None:
    """`hub seed`: the local address register gets the charging register's addresses."""
    report = addresses.import_rows(charging_register_rows(), CHARGING_SOURCE, progress=False)
    report.print(out)
