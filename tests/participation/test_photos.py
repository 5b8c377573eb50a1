# SPDX-License-Identifier: EUPL-1.2
"""Photos of reports: sniffed, limited, and stripped of every bit of metadata."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hub.participation import services
from hub.participation.models import Report, ReportPhoto, Status
from hub.tenancy.context import system_context
from tests.participation.conftest import post_report

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = image.getexif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x0110] = "Telefon 12"  # Model
    exif[0x013B] = "Erika Musterfrau"  # Artist
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 17.0, 22.0), 3: "E", 4: (11.0, 24.0, 35.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, data: bytes, kind="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=kind)


def create(client, address, *files):
    return post_report(client, address, media=list(files))


def stored_photos() -> list[ReportPhoto]:
    with system_context():
        return list(ReportPhoto.objects.all())


def test_the_fixture_really_carries_gps():
    """Otherwise the next test would prove nothing."""
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(GPS_IFD)[1] == "N"
    assert exif[0x013B] == "Erika Musterfrau"


def test_no_exif_or_gps_survives_and_the_photo_is_served_once_public(
    client, categories, address, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    response = create(
        client,
        address,
        upload("a.jpg", jpeg_with_gps()),
        upload("b.jpg", jpeg_with_gps(orientation=6)),
    )
    assert response.status_code == 201, response.content
    photos = stored_photos()
    assert len(photos) == 2
    for photo in photos:
        with photo.file.open("rb") as handle:
            raw = handle.read()
        image = Image.open(io.BytesIO(raw))
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert b"Exif" not in raw
        assert b"Erika" not in raw
        assert b"Kamerahersteller" not in raw
    # The rotated one was turned upright before the orientation tag was dropped.
    assert sorted((p.width, p.height) for p in photos) == [(480, 640), (640, 480)]
    report_id = photos[0].report_id
    url = f"/open311/v2/media/{report_id}/{photos[0].pk}.jpg"
    assert client.get(url).status_code == 404  # not reviewed yet
    with system_context():
        report = Report.objects.get(pk=report_id)
    services.transition(report, Status.REVIEWED, actor="moderator")
    assert client.get(url)["Content-Type"] == "image/jpeg"
    item = client.get(f"/open311/v2/requests/{report_id}.json").json()[0]
    assert item["media_url"].endswith(url)


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("gross.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), 413, "more than 8 MB"),
        (
            "rechnung.jpg",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
            400,
            "not a photo",
        ),
        ("leer.jpg", b"", 400, "not a photo"),
        ("kaputt.jpg", jpeg_with_gps()[: len(jpeg_with_gps()) // 2], 400, "damaged"),
    ],
)
def test_bad_photos_refuse_the_whole_report(
    client, categories, address, tmp_path, settings, name, data, status, words
):
    settings.MEDIA_ROOT = tmp_path
    with system_context():
        before = Report.objects.count()
    response = create(client, address, upload("gut.jpg", jpeg_with_gps()), upload(name, data))
    assert response.status_code == status
    assert words in response.json()[0]["description"]
    with system_context():
        assert Report.objects.count() == before
    assert stored_photos() == []
    assert not any(tmp_path.rglob("*.jpg"))  # no orphaned file either


def test_at_most_three_photos(client, categories, address, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    files = [upload(f"{i}.jpg", jpeg_with_gps()) for i in range(4)]
    response = create(client, address, *files)
    assert response.status_code == 400
    assert "at most 3 photos" in response.json()[0]["description"]


def test_a_gif_is_not_accepted(client, categories, address, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    response = create(client, address, upload("bild.jpg", out.getvalue()))
    assert response.status_code == 400
    assert "GIF is not accepted" in response.json()[0]["description"]
