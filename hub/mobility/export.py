# SPDX-License-Identifier: EUPL-1.2
"""The merged regional feed: every live timetable as one GTFS zip, validated, with what the
hub adds -- stations (parent stations from the DHID), the accessibility staff curated, one
transfer per pair of stops. Open data (CC BY 4.0, the NASA attribution in feed_info and in the
catalogue).

Stops keep their stop_id (the DHID: the feeds share 36, which become one stop); every other id
is prefixed with the feed's slug (`boerdebus:92198436`), so ids of two feeds never collide.
Each file is one COPY out of PostgreSQL. The zip is built once per state of the data (live
versions and curated accessibility) and kept in the state directory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max

from hub.core.errors import NotFound
from hub.mobility import validation
from hub.mobility.models import StopAccess
from hub.mobility.selectors import live_versions

log = logging.getLogger(__name__)
PUBLISHER = "Regionaler Datenhub Börde"

FILES: dict[str, str] = {
    "stops.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
), stops AS (
  SELECT DISTINCT ON (s.stop_id) s.stop_id, s.name, s.point, s.station, s.platform, s.wheelchair
  FROM mobility_stop s JOIN live ON live.id = s.version_id
  ORDER BY s.stop_id, s.version_id DESC
), stations AS (
  SELECT station, min(name) AS name, ST_Centroid(ST_Collect(point)) AS point
  FROM stops WHERE station <> stop_id GROUP BY station
)
SELECT stop_id, name AS stop_name, round(ST_Y(point)::numeric, 6) AS stop_lat,
       round(ST_X(point)::numeric, 6) AS stop_lon, 0 AS location_type,
       CASE WHEN station <> stop_id THEN station ELSE '' END AS parent_station,
       coalesce(a.wheelchair, s.wheelchair) AS wheelchair_boarding, platform AS platform_code
FROM stops s LEFT JOIN mobility_stopaccess a USING (stop_id)
UNION ALL
SELECT station, name, round(ST_Y(point)::numeric, 6), round(ST_X(point)::numeric, 6), 1, '',
       0, ''
FROM stations
ORDER BY 1
""",
    "routes.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || r.route_id AS route_id,
       live.slug || ':' || coalesce(a->>'agency_id', '') AS agency_id,
       r.short_name AS route_short_name, r.long_name AS route_long_name, r.route_type,
       r.color AS route_color, r.text_color AS route_text_color
FROM mobility_route r JOIN live ON live.id = r.version_id
JOIN mobility_feedversion v ON v.id = r.version_id
LEFT JOIN LATERAL (
  SELECT a FROM jsonb_array_elements(v.agencies) a WHERE a->>'agency_name' = r.agency LIMIT 1
) x ON true
ORDER BY 1
""",
    "trips.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || r.route_id AS route_id, live.slug || ':' || t.service_id AS service_id,
       live.slug || ':' || t.trip_id AS trip_id, t.headsign AS trip_headsign,
       t.direction AS direction_id,
       CASE WHEN t.shape_id <> '' AND EXISTS (SELECT 1 FROM mobility_shape sh
                WHERE sh.version_id = t.version_id AND sh.shape_id = t.shape_id)
            THEN live.slug || ':' || t.shape_id ELSE '' END AS shape_id
FROM mobility_trip t JOIN live ON live.id = t.version_id
JOIN mobility_route r ON r.id = t.route_id
ORDER BY 3
""",
    "stop_times.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || t.trip_id AS trip_id,
       format('%s:%s:%s', st.arrival / 3600, lpad(((st.arrival % 3600) / 60)::text, 2, '0'),
              lpad((st.arrival % 60)::text, 2, '0')) AS arrival_time,
       format('%s:%s:%s', st.departure / 3600, lpad(((st.departure % 3600) / 60)::text, 2, '0'),
              lpad((st.departure % 60)::text, 2, '0')) AS departure_time,
       s.stop_id, st.sequence AS stop_sequence,
       st.pickup AS pickup_type, st.drop_off AS drop_off_type
FROM mobility_stoptime st JOIN live ON live.id = st.version_id
JOIN mobility_trip t ON t.id = st.trip_id
JOIN mobility_stop s ON s.id = st.stop_id
ORDER BY 1, 5
""",
    "calendar.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || c.service_id AS service_id,
       c.weekdays & 1 AS monday, (c.weekdays >> 1) & 1 AS tuesday,
       (c.weekdays >> 2) & 1 AS wednesday, (c.weekdays >> 3) & 1 AS thursday,
       (c.weekdays >> 4) & 1 AS friday, (c.weekdays >> 5) & 1 AS saturday,
       (c.weekdays >> 6) & 1 AS sunday,
       to_char(c.start, 'YYYYMMDD') AS start_date, to_char(c."end", 'YYYYMMDD') AS end_date
FROM mobility_service c JOIN live ON live.id = c.version_id
ORDER BY 1
""",
    "calendar_dates.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || d.service_id AS service_id, to_char(d.date, 'YYYYMMDD') AS date,
       CASE WHEN d.added THEN 1 ELSE 2 END AS exception_type
FROM mobility_servicedate d JOIN live ON live.id = d.version_id
ORDER BY 1, 2
""",
    "shapes.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT live.slug || ':' || sh.shape_id AS shape_id,
       round(ST_Y(p.geom)::numeric, 6) AS shape_pt_lat,
       round(ST_X(p.geom)::numeric, 6) AS shape_pt_lon, p.path[1] AS shape_pt_sequence
FROM mobility_shape sh JOIN live ON live.id = sh.version_id,
     LATERAL ST_DumpPoints(sh.line) p
ORDER BY 1, 4
""",
    # Two feeds may both name a pair of shared stops: one row, the longer minimum.
    "transfers.txt": """
WITH live AS (
  SELECT v.id, f.slug FROM mobility_feed f JOIN mobility_feedversion v ON v.id = f.live_id
)
SELECT a.stop_id AS from_stop_id, b.stop_id AS to_stop_id,
       max(t.transfer_type) AS transfer_type, max(t.min_seconds) AS min_transfer_time
FROM mobility_transfer t JOIN live ON live.id = t.version_id
JOIN mobility_stop a ON a.id = t.from_stop_id
JOIN mobility_stop b ON b.id = t.to_stop_id
GROUP BY a.stop_id, b.stop_id
ORDER BY 1, 2
""",
}


def fingerprint() -> str:
    """What the merged feed is made of: the live versions and the last curation."""
    versions = sorted(live_versions().values_list("pk", "sha256"))
    curated = StopAccess.objects.aggregate(last=Max("updated_at"), n=Max("pk"))
    text = f"{versions}|{curated['last']}|{StopAccess.objects.count()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build() -> bytes:
    """The merged feed as a GTFS zip (not validated: see `merged`)."""
    versions = list(live_versions().order_by("feed__slug"))
    if not versions:
        raise NotFound("Noch ist kein Fahrplan eingespielt.")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("agency.txt", _agencies(versions))
        archive.writestr("feed_info.txt", _feed_info(versions))
        with connection.cursor() as cursor:
            for name, sql in FILES.items():
                buffer = io.BytesIO()
                with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as c:
                    for chunk in c:
                        buffer.write(chunk)
                archive.writestr(name, buffer.getvalue())
    return out.getvalue()


def _csv(header: list[str], rows: list[list]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _agencies(versions) -> str:
    header = ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"]
    rows = []
    for v in versions:
        for a in v.agencies:
            rows.append(
                [
                    f"{v.feed.slug}:{a['agency_id']}",
                    a["agency_name"],
                    a["agency_url"] or settings.HUB_PUBLIC_URL,
                    a["agency_timezone"],
                    a["agency_lang"],
                ]
            )
    return _csv(header, rows)


def _feed_info(versions) -> str:
    first = min(v.first_day for v in versions if v.first_day)
    last = max(v.last_day for v in versions if v.last_day)
    return _csv(
        [
            "feed_publisher_name",
            "feed_publisher_url",
            "feed_lang",
            "feed_start_date",
            "feed_end_date",
            "feed_version",
        ],
        [
            [
                PUBLISHER,
                settings.HUB_PUBLIC_URL,
                "de",
                f"{first:%Y%m%d}",
                f"{last:%Y%m%d}",
                fingerprint(),
            ]
        ],
    )


def folder() -> Path:
    return Path(settings.STATE_DIR) / "exports" / "gtfs"


def merged() -> Path:
    """The merged feed of the current data, built and validated if it is not yet on disk; a
    build the validator finds errors in is not published (the last good one stays)."""
    target = folder() / f"regional-{fingerprint()}.zip"
    if target.exists():
        return target
    data = build()
    errors = [n for n in validation.validate(data, name="regional") if n.severity == "ERROR"]
    if errors:
        log.error("the merged feed has %d validator error(s): %s", len(errors), errors[:5])
        kept = sorted(folder().glob("regional-*.zip"), key=lambda p: p.stat().st_mtime)
        if kept:
            return kept[-1]
        raise NotFound(
            "Der zusammengeführte Fahrplan ist nicht gültig und wird nicht veröffentlicht: "
            + "; ".join(n.text() for n in errors[:5])
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(target)
    for old in folder().glob("regional-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
