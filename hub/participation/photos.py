# SPDX-License-Identifier: EUPL-1.2
"""Photos of a report: the type is read from the content (not the name), the size is limited,
and every photo is decoded and re-encoded as a fresh JPEG, so no EXIF block, GPS position,
camera serial or embedded thumbnail survives, whatever the file carried."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from hub.core.errors import Invalid

ACCEPTED = {"JPEG", "PNG", "WEBP"}
MAX_PHOTOS = 3
MAX_SIDE = 2048  # pixels of the stored photo's longer side
MAX_PIXELS = 50_000_000  # a decompression bomb beyond this is refused, not decoded


class PhotoError(Invalid):
    """A photo that cannot be taken; the message says what to do."""

    code = "photo_refused"

    def __init__(self, message: str, status: int = 400):
        super().__init__(message, field="media", status=status)


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def clean(name: str, data: bytes) -> CleanPhoto:
    limit = settings.HUB_PHOTO_MAX_BYTES
    if len(data) > limit:
        raise PhotoError(
            f"{name}: {len(data) / 1e6:.1f} MB is more than {limit / 1e6:.0f} MB; "
            "please send a smaller photo",
            413,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            kind = probe.format
            if kind not in ACCEPTED:
                raise PhotoError(f"{name}: {kind} is not accepted; send JPEG, PNG or WebP")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(f"{name}: {probe.width} x {probe.height} pixels is too large")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"{name}: not a photo (JPEG, PNG or WebP)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"{name}: the image is damaged ({exc})") from None
    image = ImageOps.exif_transpose(image)  # keep what the camera meant by "up"
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A new image from pixels only: no exif=, no icc_profile=, no comment.
    Image.frombytes("RGB", image.size, image.tobytes()).save(out, "JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), image.width, image.height)
