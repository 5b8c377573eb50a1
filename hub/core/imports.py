# SPDX-License-Identifier: EUPL-1.2
"""One way to import a file: read it safely, handle it row by row, report every problem.

    table = read_table(path, required=("street", "town"))       # CSV, sniffed
    report = run(table.rows, handle_row, source=str(path), mode=KEEP_GOOD)
    report.print(stdout)

- **Reading.** `read_table` takes a CSV (or a CSV inside a zip) as it comes from an office:
  UTF-8 with or without BOM, or Windows-1252/Latin-1 (detected with charset-normalizer, the
  detector requests uses); `;`, `,`, tab or `|` as delimiter (sniffed); a preamble above the
  header (found by the `required` columns). `read_geojson` reads a FeatureCollection.
  `safe_zip` opens a zip and refuses bombs, traversal and oversize members before anything is
  extracted. Limits are explicit; every refusal is an `ImportRefused` that says what to do.
- **Handling.** `run` calls `handle(line, row)` for every row inside one transaction. A row the
  handler refuses (`RowProblem`, or any `HubError`) is reported with its line; the rest go on.
  `ALL_OR_NOTHING` rolls back everything when any row was refused; `KEEP_GOOD` keeps the
  good rows (each row in a savepoint, so one row's database error does not spoil the others).
- **Reporting.** `ImportReport` counts each outcome the handler returns ("created",
  "updated", ...), lists problems as (line, field, message), and prints itself readably; a
  progress bar (tqdm) runs on the terminal while it works.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import transaction

from hub.core.errors import HubError, Invalid, TooLarge

ALL_OR_NOTHING, KEEP_GOOD = "all-or-nothing", "keep-good"
MAX_BYTES = 64 * 2**20
MAX_ROWS = 500_000
DELIMITERS = ";,\t|"


class ImportRefused(Invalid):
    """The file (or, all or nothing, one of its rows) cannot be imported; nothing was written."""

    code = "import_refused"

    def __init__(self, message: str, *, report: ImportReport | None = None, field: str = ""):
        super().__init__(message, field=field)
        self.report = report


class RowProblem(Invalid):
    """One row cannot be imported: `field` names the column, the message says why."""

    code = "row_invalid"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    source: str = ""
    rows: int = 0
    outcomes: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    mode: str = KEEP_GOOD

    @property
    def imported(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "unchanged")

    def problem(self, line: int, message: str, field: str = "") -> None:
        self.problems.append(Problem(line, message, field))

    def summary(self) -> str:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.outcomes.items()))
        state = "" if self.committed else " (nothing written)"
        refused = f", {len(self.problems)} refused" if self.problems else ""
        source = self.source or "import"
        return f"{source}: {self.rows} rows, {counts or 'none imported'}{refused}{state}"

    def print(self, out, shown: int = 50) -> None:
        """The summary, then the first `shown` problems, one per line."""
        out.write(self.summary())
        for problem in self.problems[:shown]:
            out.write(f"  {problem}")
        if len(self.problems) > shown:
            out.write(f"  … and {len(self.problems) - shown} more problems")

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "outcomes": dict(self.outcomes),
            "committed": self.committed,
            "problems": [
                {"line": p.line, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


# -- reading --------------------------------------------------------------------------------------


def read_bytes(source: Path | bytes, *, max_bytes: int = MAX_BYTES, name: str = "") -> bytes:
    """The file's bytes, refused before reading when larger than `max_bytes`."""
    label = name or (str(source) if isinstance(source, Path) else "the upload")
    if isinstance(source, Path):
        if not source.is_file():
            raise ImportRefused(f"{label}: no such file")
        if source.stat().st_size > max_bytes:
            raise TooLarge(f"{label}: larger than {_size(max_bytes)}; split it")
        return source.read_bytes()
    if len(source) > max_bytes:
        raise TooLarge(f"{label}: larger than {_size(max_bytes)}; split it")
    return source


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n // 2**10} KiB"


def decode(data: bytes, *, name: str = "the file", encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a BOM is dropped), else what charset-normalizer finds."""
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRefused(f"{name}: a binary file, not text (was a spreadsheet sent as CSV?)")
    candidates = [encoding] if encoding else ["utf-8-sig"]
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            if encoding:
                raise ImportRefused(f"{name}: not {encoding} text") from None
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2**20]).best()
    if best is None:
        raise ImportRefused(f"{name}: neither UTF-8 nor another text encoding; save it as UTF-8")
    try:
        return data.decode(best.encoding), best.encoding
    except UnicodeDecodeError:
        raise ImportRefused(f"{name}: mixed text encodings; save it as UTF-8") from None


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    encoding: str
    delimiter: str
    header_line: int = 1


def _sniff(lines: Sequence[str]) -> str:
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(
    source: Path | bytes,
    *,
    name: str = "",
    required: Iterable[str] = (),
    aliases: dict[str, Sequence[str]] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """A CSV file as rows of {column: stripped text}, numbered by their line in the file.

    `required` columns must be present (compared without case); the header is the first line
    that has them all, so a preamble above it is skipped. `aliases` maps a column name to other
    names it may have ("lat": ("breitengrad", "y")); rows then carry the canonical names.
    """
    label = name or (str(source) if isinstance(source, Path) else "the upload")
    data = read_bytes(source, max_bytes=max_bytes, name=label)
    if data[:4] == b"PK\x03\x04":
        data, label = _only_table_in_zip(data, label, max_bytes)
    text, used = decode(data, name=label, encoding=encoding)
    lines = text.splitlines()
    if not lines or not text.strip():
        raise ImportRefused(f"{label}: the file is empty")
    wanted = [r.lower() for r in required]
    aliases = {k.lower(): [a.lower() for a in v] for k, v in (aliases or {}).items()}

    def canonical(column: str) -> str:
        low = column.strip().lower()
        return next((key for key, names in aliases.items() if low in names), low)

    start = 0
    if wanted:
        for index, line in enumerate(lines[:50]):
            cells = {
                canonical(c)
                for c in next(csv.reader([line], delimiter=delimiter or _sniff([line])))
            }
            if all(w in cells for w in wanted):
                start = index
                break
        else:
            raise ImportRefused(
                f"{label}: no header line with the columns {', '.join(required)}; "
                f"the first line reads {lines[0][:120]!r}"
            )
    used_delimiter = delimiter or _sniff(lines[start:])
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=used_delimiter)
    header = [canonical(c) for c in next(reader)]
    if len({h for h in header if h}) != len([h for h in header if h]):
        raise ImportRefused(f"{label}: a column name appears twice in the header")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        count = 0
        for offset, cells in enumerate(reader, start=start + 2):
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > max_rows:
                raise ImportRefused(f"{label}: more than {max_rows:,} rows; split the file")
            yield offset, {h: (v or "").strip() for h, v in zip(header, cells, strict=False) if h}

    return Table(header, rows(), used, used_delimiter, start + 1)


def _only_table_in_zip(data: bytes, label: str, max_bytes: int) -> tuple[bytes, str]:
    with safe_zip(data, name=label, max_bytes=max_bytes) as archive:
        tables = [n for n in archive.namelist() if n.lower().endswith((".csv", ".txt"))]
        if len(tables) != 1:
            raise ImportRefused(
                f"{label}: the zip should hold exactly one .csv file, it holds {len(tables)}"
            )
        return archive.read(tables[0]), f"{label}/{tables[0]}"


def safe_zip(
    source: Path | bytes,
    *,
    name: str = "",
    max_bytes: int = 512 * 2**20,
    max_members: int = 1000,
    max_ratio: int = 200,
) -> zipfile.ZipFile:
    """A zip, checked before anything is read from it: not too many members, no member outside
    the archive (`../`, absolute paths), no more than `max_bytes` unpacked, and no member that
    unpacks to more than `max_ratio` times its packed size (a zip bomb)."""
    label = name or (str(source) if isinstance(source, Path) else "the upload")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(f"{label}: not a zip file ({exc})") from None
    members = archive.infolist()
    if len(members) > max_members:
        raise ImportRefused(f"{label}: more than {max_members} files in the zip")
    total = 0
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
            raise ImportRefused(f"{label}: the member {member.filename[:80]!r} points outside")
        total += member.file_size
        if member.compress_size and member.file_size / member.compress_size > max_ratio:
            raise ImportRefused(f"{label}: {member.filename[:80]!r} unpacks suspiciously large")
    if total > max_bytes:
        raise TooLarge(f"{label}: unpacks to more than {max_bytes // 2**20} MiB")
    return archive


def read_geojson(
    source: Path | bytes, *, name: str = "", max_bytes: int = MAX_BYTES
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The features of a GeoJSON FeatureCollection (or one Feature), numbered from 1."""
    label = name or (str(source) if isinstance(source, Path) else "the upload")
    text, _ = decode(read_bytes(source, max_bytes=max_bytes, name=label), name=label)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportRefused(f"{label}: not JSON ({str(exc)[:120]})") from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise ImportRefused(f"{label}: not a GeoJSON FeatureCollection or Feature")
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise ImportRefused(f"{label}: `features` is not a list")
    yield from enumerate(features, start=1)


# -- handling -------------------------------------------------------------------------------------

Handler = Callable[[int, Any], str | None]


class _Rollback(Exception):
    pass


def run(
    rows: Iterable[tuple[int, Any]],
    handle: Handler,
    *,
    source: str = "",
    mode: str = KEEP_GOOD,
    total: int | None = None,
    progress: bool | None = None,
    report: ImportReport | None = None,
    using: str = "default",
    dry_run: bool = False,
) -> ImportReport:
    """Hand each row to `handle(line, row)`; it returns the outcome ("created", "updated",
    "unchanged", ...) or raises RowProblem/HubError for that row.

    Everything runs in one transaction. With ALL_OR_NOTHING any refused row rolls the whole
    import back (and the report says so); with KEEP_GOOD the good rows are kept. `dry_run`
    rolls back in any case: the report tells what would have happened.
    """
    if mode not in (ALL_OR_NOTHING, KEEP_GOOD):
        raise ValueError(f"mode must be {ALL_OR_NOTHING} or {KEEP_GOOD}, not {mode!r}")
    report = report or ImportReport(source=source)
    report.mode = mode
    bar = _progress(total, source, progress)
    try:
        with transaction.atomic(using=using):
            for line, row in rows:
                _one(report, line, row, handle, savepoint=mode == KEEP_GOOD, using=using)
                if bar is not None:
                    bar.update()
            if dry_run or (mode == ALL_OR_NOTHING and report.problems):
                raise _Rollback
    except _Rollback:
        report.committed = False
    else:
        report.committed = True
    finally:
        if bar is not None:
            bar.close()
    return report


def _one(
    report: ImportReport, line: int, row: Any, handle: Handler, *, savepoint: bool, using: str
):
    """One row: its outcome counted, or its problem noted (inside a savepoint with KEEP_GOOD, so
    that a refused row leaves nothing behind)."""
    report.rows += 1
    try:
        if savepoint:
            with transaction.atomic(using=using):
                outcome = handle(line, row)
        else:
            outcome = handle(line, row)
    except ImportRefused:
        raise
    except HubError as exc:
        report.problem(line, exc.message, exc.field)
    else:
        report.outcomes[outcome or "imported"] += 1


def _progress(total: int | None, source: str, wanted: bool | None):
    show = sys.stderr.isatty() if wanted is None else wanted
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=source[-40:] or "import", unit=" rows", file=sys.stderr)
