# SPDX-License-Identifier: EUPL-1.2
"""Registering devices: which network calls them what, and which datastream each value feeds.

One checked path for the API, the admin and the bulk CSV import; a refusal names the field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from connectors.lorawan import DECODERS
from hub.sensors.models import Datastream, Device, Network, Thing

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")
MAX_ROWS = 100_000


class DeviceError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def register(
    tenant, *, network: str, key: str, thing_id: int, mapping: dict, decoder: str = ""
) -> Device:
    """Create or update the device `network:key` of the tenant (call in its tenant context)."""
    if network not in Network.values:
        raise DeviceError("network", f"{network!r} is not one of {', '.join(Network.values)}")
    key = key.strip().lower() if network != Network.MQTT else key.strip()
    if not KEY.match(key):
        raise DeviceError("key", f"{key[:40]!r} is not a device key (letters, digits, ._:/-)")
    if decoder and decoder not in DECODERS:
        raise DeviceError("decoder", f"unknown decoder {decoder!r}; known: {', '.join(DECODERS)}")
    thing = Thing.objects.filter(pk=thing_id, tenant=tenant).first()
    if thing is None:
        raise DeviceError("thing", f"no thing {thing_id} of {tenant.slug}")
    if not isinstance(mapping, dict) or not mapping:
        raise DeviceError("mapping", "name at least one value and its datastream id")
    streams = set(Datastream.objects.filter(thing=thing).values_list("pk", flat=True))
    for name, stream in mapping.items():
        if not isinstance(stream, int) or stream not in streams:
            raise DeviceError("mapping", f"{name}: {stream!r} is no datastream of thing {thing_id}")
    # Another tenant's device is invisible here (row-level security): the unique key tells.
    try:
        with transaction.atomic():
            device, _ = Device.objects.update_or_create(
                network=network,
                key=key,
                defaults={"tenant": tenant, "thing": thing, "mapping": mapping, "decoder": decoder},
            )
    except IntegrityError:
        raise DeviceError("key", f"{network}:{key} is registered by another tenant") from None
    return device


def parse_mapping(text: str) -> dict[str, int]:
    """ "temperature=12, humidity=13" → {"temperature": 12, "humidity": 13} (in a file
    separated by semicolons the pairs are separated by commas, and the other way round)."""
    mapping = {}
    for part in re.split(r"[;,]", text or ""):
        if not part.strip():
            continue
        name, sep, stream = part.partition("=")
        if not sep or not name.strip() or not stream.strip().isdigit():
            raise DeviceError("mapping", f"{part.strip()!r} is not value=datastream-id")
        mapping[name.strip()] = int(stream)
    return mapping


@dataclass
class ImportReport:
    rows: int = 0
    registered: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def rows_of(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    header = text.split("\n", 1)[0]
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"network", "key", "thing", "mapping"} - set(reader.fieldnames or [])
    if missing:
        raise DeviceError("file", f"columns missing: {', '.join(sorted(missing))}")
    for line, row in enumerate(reader, start=2):
        yield line, {k: (v or "").strip() for k, v in row.items() if k}


def import_rows(tenant, rows: Iterable[tuple[int, dict[str, str]]], progress=None) -> ImportReport:
    """Register each good row; a bad row is reported with its line and the rest go on."""
    report = ImportReport()
    for line, row in rows:
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise DeviceError("file", f"more than {MAX_ROWS} rows: split the file")
        try:
            if not row.get("thing", "").isdigit():
                raise DeviceError("thing", f"{row.get('thing', '')!r} is not a thing id")
            register(
                tenant,
                network=row.get("network", ""),
                key=row.get("key", ""),
                thing_id=int(row["thing"]),
                mapping=parse_mapping(row.get("mapping", "")),
                decoder=row.get("decoder", ""),
            )
            report.registered += 1
        except DeviceError as exc:
            report.problems.append((line, str(exc)))
        if progress is not None:
            progress.update()
    return report
