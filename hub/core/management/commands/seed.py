# SPDX-License-Identifier: EUPL-1.2
"""`hub seed`: every app's seed step (the registry's), in order; `make up` runs it."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from hub.core.registry import registry


class _Out:
    """What a seed step writes: indented under its name."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> None:
        for line in str(text).splitlines() or [""]:
            self.stdout.write(f"    {line}")


class Command(BaseCommand):
    help = "Seed the local stack: run each app's registered seed step, in order."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", nargs="*", default=None, help="names of the steps to run")
        parser.add_argument("--list", action="store_true", help="list the steps and stop")

    def handle(self, *args, only: list[str] | None, list: bool, **options) -> None:
        seeds = registry.ordered_seeds()
        if list:
            for seed in seeds:
                self.stdout.write(f"{seed.order:>3}  {seed.name}")
            return
        if only:
            unknown = set(only) - {s.name for s in seeds}
            if unknown:
                known = ", ".join(s.name for s in seeds)
                raise CommandError(
                    f"unknown seed step(s) {', '.join(sorted(unknown))}; known: {known}"
                )
            seeds = [s for s in seeds if s.name in only]
        for number, seed in enumerate(seeds, 1):
            started = time.monotonic()
            self.stdout.write(f"[{number}/{len(seeds)}] {seed.name}")
            seed.run(_Out(self.stdout))
            self.stdout.write(f"    done in {time.monotonic() - started:.1f} s")
