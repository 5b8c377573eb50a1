# SPDX-License-Identifier: EUPL-1.2
"""Reading a file a person hands to a command: the same clear refusals everywhere."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def read_text(path: Path, max_bytes: int) -> str:
    """The file as UTF-8 text (a BOM is dropped), or a CommandError that says what is wrong."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    if path.stat().st_size > max_bytes:
        raise CommandError(f"{path}: larger than {max_bytes // 2**20} MB; split it")
    try:
        return path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc})") from None


def report_problems(out, problems: list[tuple[int, str]], shown: int = 50) -> None:
    """An import's refused lines, the first `shown` of them, on the command's output."""
    for line, problem in problems[:shown]:
        out.write(f"  line {line}: {problem}")
    if len(problems) > shown:
        out.write(f"  … and {len(problems) - shown} more problems")
