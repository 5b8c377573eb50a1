# SPDX-License-Identifier: EUPL-1.2
"""Importing the region's GTFS feeds: validated first, switched atomically, the same bytes
twice change nothing, a broken feed is refused with the validator's words and the live
timetable keeps answering; the real end of service from the calendar, and its warning."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection

from hub.core.errors import Invalid
from hub.core.imports import ImportRefused
from hub.mobility import registry, selectors, services, tasks
from hub.mobility.models import FeedVersion, StopTime
from tests.local_http import LocalServer, QuietHandler, serving
from tests.mobility.conftest import BERLIN, TUESDAY, ZOB, altered, feed_bytes
from tests.participation.test_mail import mails_to

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def _board(at: dt.datetime) -> list[tuple[str, str]]:
    where = selectors.place(ZOB)
    return [(d.trip_id, d.planned.isoformat()) for d in selectors.departures(where.stop_ids, at)]


def test_both_feeds_import_and_a_second_import_changes_nothing(feeds):
    first = {
        slug: services.import_feed(feed, feed_bytes(f"{file}.zip"), progress=False)
        for slug, feed, file in (
            ("boerdebus", feeds["boerdebus"], "boerdebus"),
            ("mvb-magdeburg", feeds["mvb-magdeburg"], "mvb_magdeburg"),
        )
    }
    boerde, mvb = first["boerdebus"].version, first["mvb-magdeburg"].version
    # The measured facts of the feeds (../shared/data/README.md).
    assert boerde.counts["trips"] == 2850
    assert boerde.counts["stop_times"] == 37367
    assert boerde.counts["stops"] == 939
    assert boerde.counts["transfers"] == 1557
    assert mvb.counts["trips"] == 8382
    assert mvb.counts["stop_times"] == 138125
    # The real end of service, not feed_info's.
    assert (boerde.last_day, boerde.declared_end) == (dt.date(2026, 12, 31), dt.date(2027, 6, 4))
    assert mvb.last_day == dt.date(2027, 2, 28)
    # The shared stops are one stop of the merged timetable.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM mobility_stop a JOIN mobility_stop b ON a.stop_id = b.stop_id"
            " WHERE a.version_id = %s AND b.version_id = %s",
            [boerde.pk, mvb.pk],
        )
        assert cursor.fetchone()[0] == 36
    again = services.import_feed(feeds["boerdebus"], feed_bytes("boerdebus.zip"), progress=False)
    assert not again.changed
    assert again.version.pk == boerde.pk
    assert FeedVersion.objects.filter(feed=feeds["boerdebus"]).count() == 1


def test_a_broken_feed_is_refused_and_the_live_timetable_keeps_answering(feeds, boerde):
    at = dt.datetime.combine(TUESDAY, dt.time(7, 0), BERLIN)
    before = _board(at)
    assert before, "the ZOB has departures on a Tuesday morning"
    with pytest.raises(ImportRefused) as refused:
        services.import_feed(
            feeds["boerdebus"], altered("boerdebus.zip", {"stop_times.txt": None}), progress=False
        )
    assert "stop_times.txt missing" in refused.value.message
    # A time the validator refuses, named with file, row and field.
    stop_times = feed_bytes_member("stop_times.txt")
    broken = stop_times.replace(b"6:13:00,6:13:00", b"25:99:00,25:99:00", 1)
    assert broken != stop_times
    with pytest.raises(ImportRefused) as refused:
        services.import_feed(
            feeds["boerdebus"], altered("boerdebus.zip", {"stop_times.txt": broken}), progress=False
        )
    assert "stop_times.txt" in refused.value.message
    assert "arrival_time" in refused.value.message
    kept = FeedVersion.objects.get(feed=feeds["boerdebus"], state=FeedVersion.State.REFUSED)
    assert kept.notices[0]["severity"] == "ERROR"
    assert kept.notices[0]["file"] == "stop_times.txt"
    feeds["boerdebus"].refresh_from_db()
    assert feeds["boerdebus"].live_id == boerde.pk
    assert _board(at) == before
    assert StopTime.objects.filter(version=boerde).count() == 37367
    assert not StopTime.objects.exclude(version=boerde).exists()  # nothing half-written


def test_a_shape_point_off_the_globe_is_refused_by_file_and_field(feeds, boerde):
    shapes = feed_bytes_member("shapes.txt").split(b"\n")
    header = [h.strip('"\ufeff') for h in shapes[0].decode().strip().split(",")]
    row = shapes[1].decode().strip().split(",")
    row[header.index("shape_pt_lat")] = "952.28"
    changed = b"\n".join([shapes[0], ",".join(row).encode(), *shapes[2:]])
    with pytest.raises(ImportRefused) as refused:
        services.import_feed(
            feeds["boerdebus"], altered("boerdebus.zip", {"shapes.txt": changed}), progress=False
        )
    assert "shapes.txt" in refused.value.message
    assert "shape_pt_lat" in refused.value.message
    feeds["boerdebus"].refresh_from_db()
    assert feeds["boerdebus"].live_id == boerde.pk


def test_a_new_version_replaces_the_old_at_once(feeds, boerde):
    info = feed_bytes_member("feed_info.txt")

    def version(label: bytes) -> bytes:  # the same timetable under another feed_version
        changed = info.replace(b"2026-06-05T00:05:59", label)
        assert changed != info
        return altered("boerdebus.zip", {"feed_info.txt": changed})

    newer = services.import_feed(feeds["boerdebus"], version(b"zweite"), progress=False)
    assert newer.changed
    feeds["boerdebus"].refresh_from_db()
    assert feeds["boerdebus"].live_id == newer.version.pk
    assert FeedVersion.objects.get(pk=boerde.pk).state == FeedVersion.State.REPLACED
    third = services.import_feed(feeds["boerdebus"], version(b"dritte"), progress=False)
    assert third.changed
    # Of the replaced versions the newest keeps its timetable; older ones are dropped.
    assert not FeedVersion.objects.filter(pk=boerde.pk).exists()
    assert not StopTime.objects.filter(version_id=boerde.pk).exists()
    assert StopTime.objects.filter(version_id=newer.version.pk).count() == 37367


def feed_bytes_member(member: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(feed_bytes("boerdebus.zip"))) as archive:
        return archive.read(member)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a zip file"),
        (None, "agency.txt"),  # a zip with no GTFS files
    ],
)
def test_what_is_not_gtfs_is_refused_by_name(feeds, data, message):
    if data is None:
        import io
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("readme.txt", "hallo")
        data = out.getvalue()
    with pytest.raises(ImportRefused) as refused:
        services.import_feed(feeds["boerdebus"], data, progress=False)
    assert message in refused.value.message
    assert not FeedVersion.objects.exclude(state=FeedVersion.State.REFUSED).exists()


def test_the_registry_refuses_what_it_cannot_use(tmp_path):
    bad = tmp_path / "feeds.yaml"
    bad.write_text(
        "- slug: Böse Feed\n  name: x\n  source: ../../etc/passwd\n  licence: x\n"
        "  attribution: x\n  colour: red\n",
        "utf-8",
    )
    with pytest.raises(Invalid) as refused:
        registry.read(bad)
    message = refused.value.message
    assert "feed 1: slug" in message
    assert "feed 1: source" in message
    assert "colour" in message
    bad.write_text("{not: [yaml", "utf-8")
    with pytest.raises(Invalid, match="not YAML"):
        registry.read(bad)


def test_the_service_end_warning_goes_out_once_sixty_days_before(
    feeds, boerde, seeded, make_user, smtp, django_capture_on_commit_callbacks
):
    address = f"admin-{uuid.uuid4().hex[:6]}@haldensleben.de"
    admin = make_user(f"admin-{uuid.uuid4().hex[:6]}", (seeded["haldensleben"], "tenant-admin"))
    admin.email = address
    admin.save()
    end = boerde.last_day
    with django_capture_on_commit_callbacks(execute=True):
        assert address not in services.warn_service_end(today=end - dt.timedelta(days=61))
        assert address in services.warn_service_end(today=end - dt.timedelta(days=59))
        assert services.warn_service_end(today=end - dt.timedelta(days=58)) == []  # once
    [sent] = mails_to(smtp, address)
    assert (
        str(sent["Subject"]).strip()
        == "Fahrplandaten BördeBus (Landkreis Börde) enden am 31.12.2026"
    )
    assert "noch 59 Tage" in sent.get_content()
    notes = services.service_end_notes(today=end - dt.timedelta(days=59))
    assert notes == [f"boerdebus: service ends {end.isoformat()} (59 days)"]
    assert services.service_end_notes(today=end - dt.timedelta(days=61)) == []


def test_healthz_tells_the_operator_when_a_timetable_ends(client, boerde):
    answer = client.get("/healthz")  # the real services: healthy, and still 200 with a note
    assert answer.status_code == 200, answer.content
    notes = answer.json()["notes"]["timetables"]
    assert any(n.startswith("boerdebus: service end") for n in notes), notes


class Source(LocalServer):
    """A feed's publisher: answers 304 when the client names the current ETag."""

    def __init__(self, body: bytes):
        self.body, self.seen = body, []
        super().__init__(SourceHandler)


class SourceHandler(QuietHandler):
    server: Source

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.seen.append(dict(self.headers))
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Fri, 05 Jun 2026 00:05:59 GMT")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)


def test_a_feed_from_a_url_is_read_again_only_when_it_changed(feeds):
    with serving(Source(feed_bytes("boerdebus.zip"))) as source:
        feed = feeds["boerdebus"]
        feed.source = f"{source.url}/gtfs.zip"
        feed.save()
        first = services.import_source(feed, progress=False)
        assert first is not None
        assert first.changed
        feed.refresh_from_db()
        assert (feed.etag, feed.checked_at is not None) == ('"v1"', True)
        assert services.import_source(feed, progress=False) is None  # 304 Not Modified
        assert source.seen[-1]["If-None-Match"] == '"v1"'
        assert source.seen[-1]["If-Modified-Since"] == "Fri, 05 Jun 2026 00:05:59 GMT"
        # beat's refresh reads nothing before the feed's refresh_hours have passed
        assert tasks.refresh_feeds()["boerdebus"] == "not due"
        assert len(source.seen) == 2
