# SPDX-License-Identifier: EUPL-1.2
"""`hub mobility …`: the GTFS feeds of the mobility centre.

hub mobility feeds                    the registry and each feed's live version
hub mobility import --all             every feed of the registry, from its source
hub mobility import SLUG [FILE|URL]   one feed (from its source, or from a file or URL)
hub mobility departures STOP [--at]   a departure board on the terminal
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from hub.core.errors import HubError
from hub.mobility import registry, selectors, services
from hub.mobility.models import Feed

BERLIN = ZoneInfo("Europe/Berlin")


class Command(BaseCommand):
    help = "The GTFS feeds of the mobility centre: registry, import, departures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("feeds", help="the registry and each feed's live version")
        imp = sub.add_parser("import", help="validate and import feeds")
        imp.add_argument("slug", nargs="?", help="one feed of the registry")
        imp.add_argument("source", nargs="?", help="a GTFS zip file or URL instead of its source")
        imp.add_argument("--all", action="store_true", help="every feed of the registry")
        imp.add_argument("--no-progress", action="store_true")
        board = sub.add_parser("departures", help="a departure board")
        board.add_argument("stop", help="a stop_id or station key (de:15083:…)")
        board.add_argument("--at", help="local time, e.g. 2026-12-08T07:00 (default: now)")
        board.add_argument("--limit", type=int, default=15)

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except HubError as exc:
            raise CommandError(exc.message) from None

    def _feeds(self, **options):
        feeds = registry.apply(registry.read())
        for feed in feeds:
            live = feed.live
            if live is None:
                self.stdout.write(f"{feed.slug:16} {feed.name}: not imported")
                continue
            self.stdout.write(
                f"{feed.slug:16} {feed.name}: live since {live.imported_at:%Y-%m-%d %H:%M}, "
                f"service {live.first_day} - {live.last_day} "
                f"(feed_info says {live.declared_end or '-'}), "
                f"{live.counts.get('trips', 0):,} trips, {live.counts.get('stop_times', 0):,} "
                "stop times"
            )

    def _import(self, *, slug, source, all, no_progress, **options):
        feeds = registry.apply(registry.read())
        if all:
            chosen = feeds
        elif slug:
            chosen = [f for f in feeds if f.slug == slug] or list(Feed.objects.filter(slug=slug))
            if not chosen:
                known = ", ".join(f.slug for f in feeds)
                raise CommandError(f"no feed {slug!r} in the registry; known: {known}")
        else:
            raise CommandError("name a feed, or --all")
        failed = sum(not self._one(feed, source, progress=not no_progress) for feed in chosen)
        if failed:
            raise CommandError(f"{failed} of {len(chosen)} feed(s) refused")

    def _one(self, feed: Feed, source: str | None, *, progress: bool) -> bool:
        """Import one feed and say how it went; False when it was refused."""
        try:
            if source:
                outcome = services.import_from(feed, source, progress=progress)
            else:
                outcome = services.import_source(feed, progress=progress)
        except HubError as exc:
            self.stderr.write(self.style.ERROR(exc.message))
            return False
        if outcome is None:
            self.stdout.write(f"{feed.slug}: not modified at the source")
        elif not outcome.changed:
            self.stdout.write(f"{feed.slug}: unchanged (version {outcome.version.pk})")
        else:
            v = outcome.version
            self.stdout.write(
                self.style.SUCCESS(
                    f"{feed.slug}: version {v.pk} live in {outcome.seconds:.1f} s, service "
                    f"{v.first_day} - {v.last_day}, "
                    + ", ".join(f"{n:,} {k}" for k, n in outcome.counts.items() if k != "loader")
                )
            )
            warnings = [n for n in v.notices if n["severity"] == "WARNING"]
            if warnings:
                self.stdout.write(f"  {len(warnings)} kinds of warning from the validator")
        return True

    def _departures(self, *, stop, at, limit, **options):
        when = dt.datetime.fromisoformat(at) if at else dt.datetime.now(BERLIN)
        if when.tzinfo is None:
            when = when.replace(tzinfo=BERLIN)
        where = selectors.place(stop)
        self.stdout.write(f"{where.name} ({where.key}), from {when:%d.%m.%Y %H:%M}")
        for d in selectors.departures(where.stop_ids, when, limit=limit):
            platform = f" Steig {d.platform}" if d.platform else ""
            self.stdout.write(f"  {d.planned:%H:%M}  {d.line:>5}  {d.headsign}{platform}")
