# SPDX-License-Identifier: EUPL-1.2
"""GTFS (static) as the hub reads it: the files of a feed's zip as rows with their line
numbers, times of day past midnight, service days, and stations from DHIDs.

The reader is strict where a wrong value would be a wrong timetable (a time like 25:99, a date
that is not one, a stop a stop time names but stops.txt lacks) and names file, line and field
when it refuses; the validator (gtfs-guru, hub.mobility.validation) has looked at the feed as a
whole before. Files are read as UTF-8 (a BOM is dropped), with any line ending.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from connectors.base import PayloadInvalid

REQUIRED = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
MAX_FIELD = 10_000  # characters in one cell: beyond, the file is not a timetable
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class GtfsInvalid(PayloadInvalid):
    """A feed that cannot be read; the message names file, line and field."""

    code = "gtfs_invalid"

    def __init__(self, message: str, *, file: str = "", line: int = 0, field: str = ""):
        where = ":".join(p for p in (file, str(line) if line else "") if p)
        prefix = f"{where}: {field}: " if field else (f"{where}: " if where else "")
        super().__init__(prefix + message)
        self.file, self.line, self.field = file, line, field


@dataclass(frozen=True)
class Row:
    file: str
    line: int  # in the file, the header being line 1
    values: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return (self.values.get(name) or default).strip()

    def need(self, name: str) -> str:
        value = self.get(name)
        if not value:
            raise GtfsInvalid("is empty", file=self.file, line=self.line, field=name)
        return value

    def fail(self, name: str, message: str) -> GtfsInvalid:
        return GtfsInvalid(message, file=self.file, line=self.line, field=name)

    def time(self, name: str) -> int | None:
        """Seconds after noon - 12 h of the service day; None when empty (interpolated)."""
        value = self.get(name)
        if not value:
            return None
        match = TIME.match(value)
        if not match:
            raise self.fail(name, f"{value[:20]!r} is not a time H:MM:SS")
        hours, minutes, seconds = (int(g) for g in match.groups())
        if hours > 47:
            raise self.fail(name, f"{value[:20]!r} is more than two days after the service day")
        return hours * 3600 + minutes * 60 + seconds

    def date(self, name: str) -> dt.date:
        value = self.need(name)
        try:
            return dt.datetime.strptime(value, "%Y%m%d").date()
        except ValueError:
            raise self.fail(name, f"{value[:20]!r} is not a date YYYYMMDD") from None

    def integer(self, name: str, default: int = 0, *, low: int = 0, high: int = 2**31 - 1) -> int:
        value = self.get(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(name, f"{value[:20]!r} is not a whole number") from None
        if not low <= number <= high:
            raise self.fail(name, f"{number} is not between {low} and {high}")
        return number

    def number(self, name: str, *, low: float, high: float) -> float:
        value = self.need(name)
        try:
            number = float(value)
        except ValueError:
            raise self.fail(name, f"{value[:20]!r} is not a number") from None
        if not low <= number <= high:
            raise self.fail(name, f"{number} is not between {low} and {high}")
        return number


class Feed:
    """The files of one GTFS zip (already checked by hub.core.imports.safe_zip)."""

    def __init__(self, archive: zipfile.ZipFile, name: str = "feed"):
        self.archive, self.name = archive, name
        # Feeds zipped from a folder keep it: take the files wherever the stops.txt is.
        names = {n.rsplit("/", 1)[-1]: n for n in archive.namelist() if not n.endswith("/")}
        self.members = names
        missing = [f for f in REQUIRED if f not in names]
        if missing:
            raise GtfsInvalid(f"{name}: {', '.join(missing)} missing: this is not a GTFS feed")
        if "calendar.txt" not in names and "calendar_dates.txt" not in names:
            raise GtfsInvalid(
                f"{name}: neither calendar.txt nor calendar_dates.txt: no service days"
            )

    def has(self, file: str) -> bool:
        return file in self.members

    def rows(self, file: str) -> Iterator[Row]:
        """The rows of `file` (none if the feed lacks it), with their line numbers."""
        if file not in self.members:
            return
        with self.archive.open(self.members[file]) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
            reader = csv.reader(text)
            try:
                header = [h.strip() for h in next(reader, [])]
                if not header:
                    return
                for number, cells in enumerate(reader, start=2):
                    if not cells or cells == [""]:
                        continue
                    if any(len(c) > MAX_FIELD for c in cells):
                        raise GtfsInvalid(
                            f"a field is longer than {MAX_FIELD} characters", file=file, line=number
                        )
                    yield Row(file, number, dict(zip(header, cells, strict=False)))
            except UnicodeDecodeError as exc:
                raise GtfsInvalid(f"is not UTF-8 (byte {exc.start})", file=file) from None
            except csv.Error as exc:
                raise GtfsInvalid(f"cannot be read as CSV ({exc})", file=file) from None


def station_of(stop_id: str, parent: str = "") -> str:
    """The station a stop belongs to: its parent, else the DHID's first three parts
    (de:15083:1234:1:2 → de:15083:1234), else itself."""
    if parent:
        return parent
    parts = stop_id.split(":")
    if len(parts) > 3 and parts[0].isalpha() and len(parts[0]) == 2:
        return ":".join(parts[:3])
    return stop_id


def service_days(
    weekdays: int, start: dt.date, end: dt.date, added: set[dt.date], removed: set[dt.date]
) -> set[dt.date]:
    """The days a service runs: its weekdays between start and end, with the exceptions."""
    days: set[dt.date] = set()
    if weekdays:
        day = start
        while day <= end:
            if weekdays >> day.weekday() & 1:
                days.add(day)
            day += dt.timedelta(days=1)
    return (days - removed) | added
