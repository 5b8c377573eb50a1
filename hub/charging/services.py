# SPDX-License-Identifier: EUPL-1.2
"""Writes of the charging app: the register import, OCPI partners (invitation, registration),
what they push (Locations, EVSEs, Connectors, status), and the link of their Locations to the
register's entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from connectors import bnetza, ocpi
from connectors.base import PayloadInvalid
from hub.charging.models import ChargePoint, Evse, Location, Match, Party, Station, StatusChange
from hub.core import imports
from hub.core.errors import Conflict, HubError, Invalid, NotFound
from hub.tenancy.context import system_context

log = logging.getLogger(__name__)
MATCH_METRES = 100  # an operator's Location and a register entry of it this close are one
REVIEW_METRES = 500  # staff see register entries this close as candidates
OCPI_TIMEOUT = 10

# -- the register ---------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def import_register(
    source: Path | bytes,
    *,
    name: str = "",
    progress: bool | None = None,
    dry_run: bool = False,
    max_bytes: int = imports.MAX_BYTES,
) -> imports.ImportReport:
    """A release of the Ladesäulenregister: each row a station with its charge points; rows the
    register repeats word for word (a charging park's identical devices) stay apart by their
    order. Rows that cannot be read are reported with line and field, the rest are kept; a
    station missing from a release read without problems is marked withdrawn."""
    table = imports.read_table(
        source, name=name, required=bnetza.REQUIRED, aliases=bnetza.ALIASES, max_bytes=max_bytes
    )
    rows = list(table.rows)
    seen: Counter[str] = Counter()
    keys: set[str] = set()

    def handle(line: int, row: dict[str, str]) -> str:
        try:
            found = bnetza.station(row)
        except PayloadInvalid as exc:
            field, _, message = str(exc).partition(": ")
            raise imports.RowProblem(message or str(exc), field=field if message else "") from None
        fingerprint = found.fingerprint()
        seen[fingerprint] += 1
        key = f"{fingerprint}-{seen[fingerprint]}"
        keys.add(key)
        return _keep_station(key, found, line)

    report = imports.run(
        rows,
        handle,
        source=name or "Ladesäulenregister",
        total=len(rows),
        progress=progress,
        dry_run=dry_run,
    )
    if report.committed and not report.problems:
        gone = Station.objects.filter(source="bnetza", withdrawn=False).exclude(key__in=keys)
        withdrawn = gone.update(withdrawn=True)
        if withdrawn:
            report.outcomes["withdrawn"] += withdrawn
    return report


def _keep_station(key: str, found: bnetza.Station, line: int) -> str:
    values = {
        "operator": found.operator,
        "address": found.address,
        "postcode": found.postcode,
        "city": found.city,
        "point": Point(found.lon, found.lat, srid=4326),
        "commissioned": found.commissioned,
        "power_kw": found.power_kw,
        "kind": found.kind,
        "withdrawn": False,
    }
    points = [(p.position, list(p.plugs), p.power_kw) for p in found.points]
    station = Station.objects.filter(key=key).first()
    if station is None:
        station = Station.objects.create(key=key, line=line, **values)
        ChargePoint.objects.bulk_create(
            ChargePoint(station=station, position=n, plugs=plugs, power_kw=kw)
            for n, plugs, kw in points
        )
        return "created"
    stored = [(p.position, p.plugs, p.power_kw) for p in station.points.all()]
    same = all(
        getattr(station, k) == v if k != "point" else station.point.equals_exact(v, 1e-9)
        for k, v in values.items()
    )
    if same and stored == points and station.line == line:
        return "unchanged"
    for k, v in values.items():
        setattr(station, k, v)
    station.line = line
    station.save()
    station.points.all().delete()
    ChargePoint.objects.bulk_create(
        ChargePoint(station=station, position=n, plugs=plugs, power_kw=kw)
        for n, plugs, kw in points
    )
    return "updated"


# -- OCPI partners --------------------------------------------------------------------------------


def invite(tenant, name: str, register_operator: str = "") -> tuple[Party, str]:
    """A new partner with its registration token (CREDENTIALS_TOKEN_A), to be given to the
    operator out of band with the hub's versions URL; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    with system_context():
        party = Party.objects.create(
            tenant=tenant,
            name=name[:200],
            register_operator=(register_operator or name)[:200],
            token_a_sha256=_digest(token),
        )
    return party, token


def new_registration_token(party: Party) -> str:
    token = secrets.token_urlsafe(32)
    with system_context():
        Party.objects.filter(pk=party.pk).update(token_a_sha256=_digest(token))
    return token


def party_for(candidates: list[str]) -> tuple[Party, str] | None:
    """The partner a token belongs to and which token it is ("A" or "C"): one query for every
    reading of the header; the decoded reading first, a C token before an A token."""
    digests = [_digest(token) for token in candidates]
    if not digests:
        return None
    with system_context():
        found = list(
            Party.objects.filter(Q(token_c_sha256__in=digests) | Q(token_a_sha256__in=digests))
        )
    for digest in digests:
        for which, field in (("C", "token_c_sha256"), ("A", "token_a_sha256")):
            for party in found:
                if hmac.compare_digest(getattr(party, field), digest):
                    return party, which
    return None


class ClientUnreachable(HubError):
    """The partner's versions endpoint did not answer as OCPI (status code 3001)."""

    status = 200
    code = "3001"


class NoMutualVersion(HubError):
    status = 200
    code = "3002"


def _get(url: str, token: str) -> Any:
    try:
        answer = requests.get(
            url, headers={"Authorization": ocpi.encode_token(token)}, timeout=OCPI_TIMEOUT
        )
        answer.raise_for_status()
        body = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise ClientUnreachable(f"{url}: {str(exc)[:200]}") from None
    if not isinstance(body, dict) or body.get("status_code") != 1000:
        raise ClientUnreachable(f"{url}: no OCPI success answer")
    return body.get("data")


def register(party: Party, credentials: ocpi.Credentials, *, update: bool) -> str:
    """The Credentials handshake from our side: fetch the partner's versions and 2.2.1
    endpoints with their token B, keep them and their roles, and hand out a new token C (the
    registration token A stops working). Returns token C."""
    versions = _get(credentials.url, credentials.token)
    if not isinstance(versions, list):
        raise ClientUnreachable(f"{credentials.url}: the versions are not a list")
    ours = next(
        (v for v in versions if isinstance(v, dict) and v.get("version") == ocpi.VERSION), None
    )
    if ours is None or not isinstance(ours.get("url"), str):
        raise NoMutualVersion(f"{credentials.url} offers no version {ocpi.VERSION}")
    details = _get(ours["url"], credentials.token)
    endpoints = details.get("endpoints") if isinstance(details, dict) else None
    if not isinstance(endpoints, list):
        raise ClientUnreachable(f"{ours['url']}: no endpoints in the version details")
    if not any(r.role == "CPO" for r in credentials.roles):
        raise Invalid("roles: the hub takes Locations from CPOs; no role CPO given")
    token_c = secrets.token_urlsafe(32)
    with system_context(), transaction.atomic():
        fresh = Party.objects.select_for_update().get(pk=party.pk)
        if update != bool(fresh.registered_at):
            raise Conflict("registered already" if fresh.registered_at else "not registered yet")
        fresh.token_b = credentials.token
        fresh.versions_url = credentials.url
        fresh.endpoints = endpoints
        fresh.roles = [r.model_dump(mode="json") for r in credentials.roles]
        fresh.token_c_sha256 = _digest(token_c)
        fresh.token_a_sha256 = ""
        fresh.registered_at = timezone.now()
        fresh.save()
    return token_c


def unregister(party: Party) -> None:
    with system_context():
        Party.objects.filter(pk=party.pk).update(
            token_c_sha256="", token_b="", registered_at=None, endpoints=[], roles=[]
        )


# -- what partners push ---------------------------------------------------------------------------


def _point(coordinates: dict) -> Point:
    return Point(float(coordinates["longitude"]), float(coordinates["latitude"]), srid=4326)


@dataclass(frozen=True)
class Target:
    """The object an OCPI Locations URL names: {country_code}/{party_id}/{location_id}
    [/{evse_uid}[/{connector_id}]], pushed by `party`."""

    party: Party
    country_code: str
    party_id: str
    location_id: str
    evse_uid: str = ""
    connector_id: str = ""

    @property
    def kind(self) -> str:
        return "connector" if self.connector_id else "evse" if self.evse_uid else "location"

    def check_owner(self) -> None:
        if not self.party.owns(self.country_code, self.party_id):
            raise NotFound(
                f"{self.country_code}/{self.party_id} is not one of your CPO roles; you may"
                " push only your own Locations"
            )

    def location(self, *, lock: bool = True) -> Location | None:
        found = Location.objects.filter(
            country_code=self.country_code.upper(),
            party_code=self.party_id.upper(),
            location_id__iexact=self.location_id,
        )
        return (found.select_for_update() if lock else found).first()

    def existing_location(self) -> Location:
        location = self.location()
        if location is None:
            raise NotFound(f"unknown Location {self.location_id!r}: PUT the whole Location first")
        return location


def _keep_evse(location: Location, evse: dict, *, present: bool = True) -> str:
    """Create or replace one EVSE; its status history grows when the status changes."""
    stamp = ocpi.parse_datetime(evse["last_updated"])
    stored = Evse.objects.select_for_update().filter(location=location, uid__iexact=evse["uid"])
    current = stored.first()
    if current is not None and stamp < current.last_updated:
        return "stale"
    if current is None:
        current = Evse(location=location, uid=evse["uid"])
        outcome = "created"
    else:
        outcome = "updated"
    changed = current.status != evse["status"]
    current.evse_id = evse.get("evse_id") or ""
    current.status = evse["status"]
    current.data = evse
    current.last_updated = stamp
    current.present = present and evse["status"] != "REMOVED"
    current.save()
    if changed:
        StatusChange.objects.create(evse=current, status=current.status, at=stamp)
    return outcome


def _json(model) -> dict:
    return model.model_dump(mode="json", exclude_none=True)


@transaction.atomic
def put_location(target: Target, body) -> str:
    """A whole Location (OCPI PUT): created, replaced, or "stale" when older than stored."""
    target.check_owner()
    found = ocpi.read("location", body)
    if found.id.upper() != target.location_id.upper():
        raise Invalid(
            f"id: the body's {found.id!r} is not the URL's {target.location_id!r}", field="id"
        )
    if found.country_code.upper() != target.country_code.upper() or (
        found.party_id.upper() != target.party_id.upper()
    ):
        raise Invalid("country_code/party_id: the body's are not the URL's", field="party_id")
    data = _json(found)
    evses = data.pop("evses", [])
    stamp = found.last_updated
    location = target.location()
    if location is not None and stamp < location.last_updated:
        return "stale"
    outcome = "updated" if location is not None else "created"
    if location is None:
        location = Location(
            party=target.party,
            country_code=target.country_code.upper(),
            party_code=target.party_id.upper(),
            location_id=found.id,
        )
    moved = location.pk is None or location.data.get("coordinates") != data["coordinates"]
    location.data = data
    location.point = _point(data["coordinates"])
    location.last_updated = stamp
    location.save()
    uids = set()
    for evse in evses:
        uids.add(evse["uid"].upper())
        _keep_evse(location, evse)
    for left in location.evses.filter(present=True):
        if left.uid.upper() not in uids:
            left.present = False  # kept for history, no longer shown (PUT replaces the list)
            left.save(update_fields=["present"])
    if moved:
        link(location)
    return outcome


def _touch(location: Location, stamp: dt.datetime) -> None:
    """A child's push sets the parent's last_updated (mod_locations: SHALL)."""
    if stamp > location.last_updated:
        location.last_updated = stamp
        location.save(update_fields=["last_updated", "received_at"])


@transaction.atomic
def put_evse(target: Target, body) -> str:
    target.check_owner()
    found = ocpi.read("evse", body)
    if found.uid.upper() != target.evse_uid.upper():
        raise Invalid(
            f"uid: the body's {found.uid!r} is not the URL's {target.evse_uid!r}", field="uid"
        )
    location = target.existing_location()
    outcome = _keep_evse(location, _json(found))
    if outcome != "stale":
        _touch(location, found.last_updated)
    return outcome


def _evse(location: Location, evse_uid: str) -> Evse:
    evse = Evse.objects.select_for_update().filter(location=location, uid__iexact=evse_uid).first()
    if evse is None:
        raise NotFound(f"unknown EVSE {evse_uid!r} at Location {location.location_id!r}")
    return evse


def _z(stamp: dt.datetime) -> str:
    return stamp.isoformat().replace("+00:00", "Z")


@transaction.atomic
def put_connector(target: Target, body) -> str:
    target.check_owner()
    found = ocpi.read("connector", body)
    if found.id.upper() != target.connector_id.upper():
        raise Invalid(
            f"id: the body's {found.id!r} is not the URL's {target.connector_id!r}", field="id"
        )
    location = target.existing_location()
    evse = _evse(location, target.evse_uid)
    connectors = [c for c in evse.data["connectors"] if c["id"].upper() != found.id.upper()]
    outcome = "updated" if len(connectors) < len(evse.data["connectors"]) else "created"
    evse.data = {**evse.data, "connectors": [*connectors, _json(found)]}
    if found.last_updated > evse.last_updated:
        evse.last_updated = found.last_updated
        evse.data["last_updated"] = _z(found.last_updated)
    evse.save()
    _touch(location, found.last_updated)
    return outcome


@transaction.atomic
def patch(target: Target, body) -> str:
    """A PATCH of a Location, EVSE or Connector: "updated", or "stale" (older than stored:
    not applied, still accepted: OCPI leaves it to the receiver, and a retry is harmless)."""
    target.check_owner()
    kind = target.kind
    fields = ocpi.read_patch(kind, body)
    wanted = {"location": target.location_id, "evse": target.evse_uid}.get(
        kind, target.connector_id
    )
    for fixed in ocpi.FIXED[kind] & fields.keys() & {"id", "uid"}:
        if str(fields[fixed]).upper() != wanted.upper():
            raise Invalid(f"{fixed}: an object's id never changes", field=fixed)
    location = target.location()
    if location is None:
        raise NotFound(f"unknown Location {target.location_id!r}")
    apply = {"location": _patch_location, "evse": _patch_evse}.get(kind, _patch_connector)
    outcome = apply(target, location, fields)
    if outcome != "stale" and kind != "location":
        _touch(location, fields["last_updated"])
    return outcome


def _patch_location(target: Target, location: Location, fields: dict) -> str:
    stamp = fields["last_updated"]
    if stamp < location.last_updated:
        return "stale"
    location.data = {**location.data, **_plain(fields), "last_updated": _z(stamp)}
    moved = "coordinates" in fields
    if moved:
        location.point = _point(location.data["coordinates"])
    location.last_updated = stamp
    location.save()
    if moved:
        link(location)
    return "updated"


def _patch_evse(target: Target, location: Location, fields: dict) -> str:
    stamp = fields["last_updated"]
    evse = _evse(location, target.evse_uid)
    if stamp < evse.last_updated:
        return "stale"
    changed = "status" in fields and fields["status"] != evse.status
    evse.data = {**evse.data, **_plain(fields), "last_updated": _z(stamp)}
    evse.status = evse.data["status"]
    evse.evse_id = evse.data.get("evse_id") or ""
    evse.present = evse.status != "REMOVED"
    evse.last_updated = stamp
    evse.save()
    if changed:
        StatusChange.objects.create(evse=evse, status=evse.status, at=stamp)
    return "updated"


def _patch_connector(target: Target, location: Location, fields: dict) -> str:
    stamp = fields["last_updated"]
    evse = _evse(location, target.evse_uid)
    connectors = evse.data["connectors"]
    index = next(
        (i for i, c in enumerate(connectors) if c["id"].upper() == target.connector_id.upper()),
        None,
    )
    if index is None:
        raise NotFound(f"unknown Connector {target.connector_id!r} of EVSE {target.evse_uid!r}")
    if stamp < ocpi.parse_datetime(connectors[index]["last_updated"]):
        return "stale"
    connectors[index] = {**connectors[index], **_plain(fields), "last_updated": _z(stamp)}
    evse.data = {**evse.data, "connectors": connectors}
    if stamp > evse.last_updated:
        evse.last_updated = stamp
        evse.data["last_updated"] = _z(stamp)
    evse.save()
    return "updated"


def _plain(fields: dict) -> dict:
    """PATCH fields as JSON values (pydantic models and datetimes made plain)."""

    def plain(value):
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json", exclude_none=True)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.datetime):
            return _z(value)
        return value

    return {name: plain(value) for name, value in fields.items()}


# -- the link to the register ---------------------------------------------------------------------

LEGAL_FORMS = re.compile(r"\b(gmbh|ag|kg|co|mbh|se|ug|e\.?v|aör|und|&)\b|[.,&+]")


def operator_key(name: str) -> str:
    """An operator's name without legal form and punctuation, to compare names the register
    and the operator write differently ("Stadtwerke Haldensleben GmbH" ~ "Stadtwerke
    Haldensleben")."""
    return " ".join(LEGAL_FORMS.sub(" ", name.casefold()).split())


def link(location: Location) -> int:
    """Link the register entries of the Location's operator within MATCH_METRES that no other
    Location has and staff have not assigned; a Location that moved loses its automatic links.
    Returns how many entries it is now linked to."""
    location.stations.filter(match=Match.AUTOMATIC).update(
        location=None, match=Match.NONE, match_metres=None
    )
    wanted = operator_key(location.party.register_operator)
    near = (
        Station.objects.select_for_update()
        .filter(
            withdrawn=False,
            location__isnull=True,
            point__distance_lte=(location.point, D(m=MATCH_METRES)),
        )
        .annotate(metres=Distance("point", location.point))
    )
    linked = 0
    for station in near:
        if operator_key(station.operator) != wanted:
            continue
        station.location = location
        station.match = Match.AUTOMATIC
        station.match_metres = round(station.metres.m)
        station.save(update_fields=["location", "match", "match_metres"])
        linked += 1
    if linked:
        Location.objects.filter(pk=location.pk).update(unregistered=False)
    return linked


@transaction.atomic
def assign(tenant, location_pk: int, station_keys: list[str]) -> int:
    """Staff decide: these register entries are the Location (others it had are released);
    no entries: the Location has none in the register (a charger the register lacks)."""
    location = (
        Location.objects.select_for_update().filter(pk=location_pk, party__tenant=tenant).first()
    )
    if location is None:
        raise NotFound("Diesen Standort hat kein Betreiber dieses Mandanten gemeldet.")
    location.stations.update(location=None, match=Match.NONE, match_metres=None)
    stations = list(
        Station.objects.select_for_update()
        .filter(key__in=station_keys, withdrawn=False)
        .annotate(metres=Distance("point", location.point))
    )
    if len(stations) != len(set(station_keys)):
        raise Invalid("Ein genannter Eintrag steht nicht im Register.", field="stations")
    for station in stations:
        if station.location_id not in (None, location.pk):
            raise Conflict(f"{station} ist schon einem anderen Standort zugeordnet.")
        if station.metres.m > REVIEW_METRES:
            raise Invalid(f"{station} ist mehr als {REVIEW_METRES} m entfernt.", field="stations")
        station.location = location
        station.match = Match.STAFF
        station.match_metres = round(station.metres.m)
        station.save(update_fields=["location", "match", "match_metres"])
    location.unregistered = not stations
    location.save(update_fields=["unregistered"])
    return len(stations)
