# SPDX-License-Identifier: EUPL-1.2
"""Writes of the mobility centre: importing a GTFS feed as a new version, validated first and
switched live atomically.

`import_feed()` refuses a feed the validator finds errors in (the notices are kept on a refused
version and named in the error) and leaves the live timetable as it was. A feed that passes is
loaded with COPY beside the live version, and the feed's `live` pointer moves to it in the same
transaction: a reader sees the old timetable or the new one. The same bytes again change
nothing. Of the versions replaced, the newest is kept (to compare), older ones are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from connectors import gtfs
from connectors.base import PayloadInvalid
from hub.core.errors import Invalid
from hub.core.imports import ImportRefused, safe_zip
from hub.mobility import validation
from hub.mobility.loader import LOADER, Loader
from hub.mobility.models import Feed, FeedVersion

log = logging.getLogger(__name__)
MAX_FEED_BYTES = 200 * 2**20  # a zip; Germany's whole feed (DELFI) packs to ~190 MB
MAX_UNPACKED = 2 * 2**30
KEEP_REPLACED = 1


@dataclass
class Outcome:
    version: FeedVersion
    changed: bool  # False: the same bytes as the live version
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def import_feed(
    feed: Feed, data: bytes, *, progress: bool | None = None, today: dt.date | None = None
) -> Outcome:
    """Validate `data` (a GTFS zip) and make it the feed's live version."""
    started = timezone.now()
    if len(data) > MAX_FEED_BYTES:
        raise Invalid(f"{feed.slug}: the feed is larger than {MAX_FEED_BYTES // 2**20} MiB")
    digest = hashlib.sha256(data).hexdigest()
    # The same bytes change nothing, unless the live version was read by a loader that knew
    # less (LOADER: a version without shapes is read again once).
    if feed.live_id and feed.live.sha256 == digest and feed.live.counts.get("loader") == LOADER:
        return Outcome(feed.live, changed=False)
    archive = safe_zip(data, name=feed.slug, max_bytes=MAX_UNPACKED)
    try:
        reader = gtfs.Feed(archive, feed.slug)
    except PayloadInvalid as exc:
        raise ImportRefused(str(exc)) from None
    notices = validation.validate(data, name=feed.slug)
    errors = [n for n in notices if n.severity == validation.ERROR]
    if errors:
        FeedVersion.objects.create(
            feed=feed,
            sha256=digest,
            state=FeedVersion.State.REFUSED,
            notices=validation.dump(notices),
        )
        listed = "; ".join(n.text() for n in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportRefused(
            f"{feed.slug}: the validator found {len(errors)} error(s), the live timetable stays: "
            f"{listed}{more}"
        )
    try:
        with transaction.atomic():
            version = FeedVersion.objects.create(
                feed=feed,
                sha256=digest,
                state=FeedVersion.State.LIVE,
                notices=validation.dump(notices),
            )
            counts = Loader(version, reader, progress=progress).load()
            locked = Feed.objects.select_for_update().get(pk=feed.pk)
            previous = locked.live_id
            locked.live = version
            locked.save(update_fields=["live"])
            if previous:
                FeedVersion.objects.filter(pk=previous).update(state=FeedVersion.State.REPLACED)
    except PayloadInvalid as exc:
        raise ImportRefused(f"{feed.slug}: {exc}") from None
    feed.refresh_from_db()
    drop_replaced(feed)
    seconds = (timezone.now() - started).total_seconds()
    log.info("feed %s: version %s live (%s) in %.1f s", feed.slug, version.pk, counts, seconds)
    return Outcome(version, changed=True, seconds=seconds, counts=counts)


def import_source(feed: Feed, *, progress: bool | None = None) -> Outcome | None:
    """Read the feed from its configured source and import it; None when its URL answers
    304 Not Modified."""
    return import_from(feed, feed.source, progress=progress, conditional=True)


def import_from(
    feed: Feed, source: str, *, progress: bool | None = None, conditional: bool = False
) -> Outcome | None:
    """Import the feed from `source`: a path (below HUB_DATA_DIR when relative) or a URL
    (with If-None-Match / If-Modified-Since when `conditional`)."""
    if source.startswith(("https://", "http://")):
        data = _fetch(feed, source, conditional=conditional)
        if data is None:
            return None
    else:
        path = Path(source)
        if not path.is_absolute():
            path = Path(settings.HUB_DATA_DIR) / path
        if not path.is_file():
            raise Invalid(f"{feed.slug}: the source {path} is not a file")
        if path.stat().st_size > MAX_FEED_BYTES:
            raise Invalid(f"{feed.slug}: {path} is larger than {MAX_FEED_BYTES // 2**20} MiB")
        data = path.read_bytes()
    outcome = import_feed(feed, data, progress=progress)
    Feed.objects.filter(pk=feed.pk).update(checked_at=timezone.now())
    return outcome


def _fetch(feed: Feed, url: str, *, conditional: bool) -> bytes | None:
    import requests

    headers = {}
    if conditional and feed.etag:
        headers["If-None-Match"] = feed.etag
    if conditional and feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = requests.get(url, headers=headers, timeout=60, stream=True)
    except requests.RequestException as exc:
        raise Invalid(f"{feed.slug}: {url} did not answer ({exc})") from None
    with response:
        if response.status_code == 304:
            Feed.objects.filter(pk=feed.pk).update(checked_at=timezone.now())
            return None
        if response.status_code != 200:
            raise Invalid(f"{feed.slug}: {url} answered {response.status_code}")
        chunks, size = [], 0
        for chunk in response.iter_content(1 << 20):
            size += len(chunk)
            if size > MAX_FEED_BYTES:
                raise Invalid(f"{feed.slug}: the feed is larger than {MAX_FEED_BYTES // 2**20} MiB")
            chunks.append(chunk)
        Feed.objects.filter(pk=feed.pk).update(
            etag=response.headers.get("ETag", "")[:200],
            last_modified=response.headers.get("Last-Modified", "")[:100],
        )
        return b"".join(chunks)


def drop_replaced(feed: Feed, keep: int = KEEP_REPLACED) -> int:
    """Delete the timetables of replaced versions but the newest `keep` (a refused version
    holds no timetable and stays as a record)."""
    replaced = list(
        FeedVersion.objects.filter(feed=feed, state=FeedVersion.State.REPLACED)
        .order_by("-imported_at")
        .values_list("pk", flat=True)
    )[keep:]
    if not replaced:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (
            "mobility_stoptime",
            "mobility_transfer",
            "mobility_trip",
            "mobility_route",
            "mobility_stop",
            "mobility_service",
            "mobility_servicedate",
            "mobility_shape",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE version_id = ANY(%s)", [replaced])  # noqa: S608 - the names are the code's
        FeedVersion.objects.filter(pk__in=replaced).delete()
    return len(replaced)


# -- the end of service -------------------------------------------------------------------------

WARN_DAYS = 60


def served_tenants(version: FeedVersion):
    """The active tenants with stops of this version in their area."""
    from hub.mobility.models import Stop
    from hub.tenancy.selectors import active_tenants

    stops = Stop.objects.filter(version=version)
    return [
        t
        for t in active_tenants().exclude(boundary=None)
        if stops.filter(point__within=t.boundary).exists()
    ]


def admin_addresses(tenant) -> list[str]:
    """Whom a tenant's service-end warning goes to: its tenant admins, else its contact."""
    from hub.tenancy.context import system_context
    from hub.tenancy.models import Membership, Role

    with system_context():
        mails = sorted(
            set(
                Membership.objects.filter(tenant=tenant, role=Role.TENANT_ADMIN)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
    contact = (tenant.contact or {}).get("email")
    return mails or ([contact] if contact else [])


def warn_service_end(today: dt.date | None = None) -> list[str]:
    """Mail the tenants a live feed serves, once, when its service ends within WARN_DAYS days:
    the feed needs a new version before then. Returns the addresses written to."""
    from django.utils.formats import date_format

    from hub.core.mail import send_later
    from hub.mobility.selectors import live_versions

    today = today or timezone.localdate()
    sent: list[str] = []
    for version in live_versions().filter(end_warned_at=None).exclude(last_day=None):
        left = (version.last_day - today).days
        if left > WARN_DAYS:
            continue
        end = date_format(version.last_day, "d.m.Y")
        for tenant in served_tenants(version):
            for address in admin_addresses(tenant):
                send_later(
                    f"Fahrplandaten {version.feed.name} enden am {end}",
                    f"Guten Tag,\n\nder Fahrplan {version.feed.name} im Regionalen Datenhub hat "
                    f"Fahrten nur bis zum {end} (noch {max(left, 0)} Tage). Danach zeigen "
                    f"Abfahrtstafeln und Verbindungssuche für {tenant.display_name} nichts mehr "
                    "an.\n\nBitte sorgen Sie dafür, dass eine neue Fahrplanversion eingespielt "
                    f"wird (Quelle: {version.feed.source}).\n\n-- Regionaler Datenhub",
                    address,
                )
                sent.append(address)
        FeedVersion.objects.filter(pk=version.pk).update(end_warned_at=timezone.now())
    return sent


def service_end_notes(today: dt.date | None = None) -> list[str]:
    """For /healthz and the admin: each live feed whose service ends within WARN_DAYS days."""
    from hub.mobility.selectors import live_versions

    today = today or timezone.localdate()
    notes = []
    for version in live_versions().exclude(last_day=None).order_by("last_day"):
        left = (version.last_day - today).days
        if left <= WARN_DAYS:
            notes.append(
                f"{version.feed.slug}: service ends {version.last_day.isoformat()} ({left} days)"
                if left >= 0
                else f"{version.feed.slug}: service ended {version.last_day.isoformat()}"
            )
    return notes


# -- accessibility, as staff curate it ------------------------------------------------------------


def set_accessibility(tenant, stop_id: str, wheelchair: int, note: str = ""):
    """Record what staff of `tenant` found out about a stop inside its area; the merged feed
    and the boards use it from now on."""
    from hub.core.errors import Forbidden
    from hub.mobility.models import StopAccess
    from hub.mobility.selectors import stops_in

    if wheelchair not in StopAccess.Wheelchair.values:
        raise Invalid("wheelchair is 0 (unknown), 1 (yes) or 2 (no)", field="wheelchair")
    if len(note) > 300 or "\x00" in note:
        raise Invalid("Der Hinweis ist höchstens 300 Zeichen lang.", field="note")
    if not stops_in(tenant).filter(stop_id=stop_id).exists():
        raise Forbidden(
            f"Die Haltestelle {stop_id[:100]!r} liegt nicht im Gebiet von {tenant.display_name}."
        )
    access, _ = StopAccess.objects.update_or_create(
        stop_id=stop_id,
        defaults={"wheelchair": wheelchair, "note": note.strip(), "tenant": tenant},
    )
    return access
