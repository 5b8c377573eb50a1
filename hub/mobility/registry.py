# SPDX-License-Identifier: EUPL-1.2
"""The feed registry as configuration: a YAML list of feeds (hub/mobility/feeds.yaml, or the
file HUB_MOBILITY_FEEDS names), checked with pydantic (unknown fields are errors, each problem
named with its place), and applied to the `Feed` rows."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from hub.core.errors import Invalid
from hub.mobility.models import Feed

DEFAULT = Path(__file__).with_name("feeds.yaml")
MAX_BYTES = 256 * 1024


class FeedSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    name: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=500)
    licence: str = Field(min_length=1, max_length=100)
    attribution: str = Field(min_length=1, max_length=2000)
    refresh_hours: int = Field(default=24, ge=1, le=24 * 31)
    realtime_url: str = Field(default="", max_length=500)

    @field_validator("realtime_url")
    @classmethod
    def _realtime(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("a URL must be https://")
        if value:
            HttpUrl(value)
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if "://" in value:
            if not value.startswith("https://"):
                raise ValueError("a URL must be https://")
            HttpUrl(value)
        elif ".." in Path(value).parts:
            raise ValueError("a path may not leave the data folder (..)")
        return value


def path() -> Path:
    configured = getattr(settings, "HUB_MOBILITY_FEEDS", "")
    return Path(configured) if configured else DEFAULT


def read(file: Path | None = None) -> list[FeedSpec]:
    file = file or path()
    if not file.is_file():
        raise Invalid(f"{file}: the feed registry is missing")
    if file.stat().st_size > MAX_BYTES:
        raise Invalid(f"{file}: larger than {MAX_BYTES // 1024} KiB")
    try:
        doc = yaml.safe_load(file.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise Invalid(f"{file}: not YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(doc, list):
        raise Invalid(f"{file}: a list of feeds is expected")
    specs, problems = [], []
    for i, item in enumerate(doc, start=1):
        try:
            specs.append(FeedSpec.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"]) or "feed"
                problems.append(f"feed {i}: {where}: {error['msg']}")
    slugs = [s.slug for s in specs]
    problems += [
        f"slug {s!r} appears twice" for s in sorted({s for s in slugs if slugs.count(s) > 1})
    ]
    if problems:
        raise Invalid(f"{file}: " + "; ".join(problems))
    return specs


def apply(specs: list[FeedSpec]) -> list[Feed]:
    """The Feed rows for these specs (created or updated; feeds no longer named stay, with
    their timetables, until staff delete them)."""
    feeds = []
    for spec in specs:
        feed, _ = Feed.objects.update_or_create(
            slug=spec.slug, defaults=spec.model_dump(exclude={"slug"})
        )
        feeds.append(feed)
    return feeds
