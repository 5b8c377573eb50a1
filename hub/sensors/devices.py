# SPDX-License-Identifier: EUPL-1.2
"""Registering devices: which network calls them what, and which datastream each value feeds.

One checked path for the API, the admin and the bulk CSV import; a refusal names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction

from connectors.lorawan import DECODERS
from hub.core import imports
from hub.core.errors import Conflict, Invalid
from hub.sensors.models import Datastream, Device, Network, Thing

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")
MAX_ROWS = 100_000


def register(
    tenant, *, network: str, key: str, thing_id: int, mapping: dict, decoder: str = ""
) -> Device:
    """Create or update the device `network:key` of the tenant (call in its tenant context)."""
    if network not in Network.values:
        raise Invalid(
            field="network", message=f"{network!r} is not one of {', '.join(Network.values)}"
        )
    key = key.strip().lower() if network != Network.MQTT else key.strip()
    if not KEY.match(key):
        raise Invalid(
            field="key", message=f"{key[:40]!r} is not a device key (letters, digits, ._:/-)"
        )
    if decoder and decoder not in DECODERS:
        raise Invalid(
            field="decoder", message=f"unknown decoder {decoder!r}; known: {', '.join(DECODERS)}"
        )
    thing = Thing.objects.filter(pk=thing_id, tenant=tenant).first()
    if thing is None:
        raise Invalid(field="thing", message=f"no thing {thing_id} of {tenant.slug}")
    if not isinstance(mapping, dict) or not mapping:
        raise Invalid(field="mapping", message="name at least one value and its datastream id")
    streams = set(Datastream.objects.filter(thing=thing).values_list("pk", flat=True))
    for name, stream in mapping.items():
        if not isinstance(stream, int) or stream not in streams:
            raise Invalid(
                field="mapping", message=f"{name}: {stream!r} is no datastream of thing {thing_id}"
            )
    # Another tenant's device is invisible here (row-level security): the unique key tells.
    try:
        with transaction.atomic():
            device, _ = Device.objects.update_or_create(
                network=network,
                key=key,
                defaults={"tenant": tenant, "thing": thing, "mapping": mapping, "decoder": decoder},
            )
    except IntegrityError:
        raise Conflict(
            field="key", message=f"{network}:{key} is registered by another tenant"
        ) from None
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
            raise Invalid(field="mapping", message=f"{part.strip()!r} is not value=datastream-id")
        mapping[name.strip()] = int(stream)
    return mapping


COLUMNS = ("network", "key", "thing", "mapping")


def read_file(source: Path | bytes, *, name: str = "") -> imports.Table:
    """A device list (CSV: network, key, thing, mapping[, decoder]), any delimiter."""
    return imports.read_table(source, name=name, required=COLUMNS, max_rows=MAX_ROWS)


def register_row(tenant, line: int, row: dict[str, str]) -> str:
    """One row of a device list registered (the import's row handler)."""
    if not row.get("thing", "").isdigit():
        raise Invalid(field="thing", message=f"{row.get('thing', '')!r} is not a thing id")
    register(
        tenant,
        network=row.get("network", ""),
        key=row.get("key", ""),
        thing_id=int(row["thing"]),
        mapping=parse_mapping(row.get("mapping", "")),
        decoder=row.get("decoder", ""),
    )
    return "registered"


def import_rows(
    tenant, rows: Iterable[tuple[int, dict[str, str]]], *, source: str = "", progress=None
) -> imports.ImportReport:
    """Register each good row; a bad row is reported with its line and the rest go on.
    Call in the tenant's context."""
    return imports.run(
        rows,
        lambda line, row: register_row(tenant, line, row),
        source=source,
        mode=imports.KEEP_GOOD,
        progress=progress,
    )
