# SPDX-License-Identifier: EUPL-1.2
"""`hub sharing …`: the GBFS feeds the hub reads.

hub sharing add SLUG NAME URL [--free-floating] [--no-stations] [--attribution TEXT]
hub sharing poll [SLUG]      read, validate and take the feeds now (beat does it every minute)
hub sharing feeds            each feed with its state
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hub.sharing import services
from hub.sharing.models import Feed


class Command(BaseCommand):
    help = "GBFS feeds: add, poll, list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="a GBFS feed to read (gbfs.json or a 3.0 manifest.json)")
        add.add_argument("slug")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument("--free-floating", action="store_true")
        add.add_argument("--no-stations", action="store_true")
        add.add_argument("--attribution", default="")
        poll = sub.add_parser("poll", help="read the feeds now")
        poll.add_argument("slug", nargs="?")
        sub.add_parser("feeds", help="the feeds and their state")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, slug, name, url, free_floating, no_stations, attribution, **options):
        if not url.startswith(("http://", "https://")):
            raise CommandError("the URL must be http(s)")
        Feed.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "url": url,
                "free_floating": free_floating,
                "docked": not no_stations,
                "attribution": attribution,
            },
        )
        self.stdout.write(f"feed {slug}: {url}")

    def _poll(self, *, slug, **options):
        feeds = Feed.objects.filter(slug=slug) if slug else Feed.objects.all()
        if slug and not feeds:
            raise CommandError(f"no feed {slug!r}")
        refused = 0
        for feed in feeds:
            if services.poll(feed):
                self.stdout.write(
                    f"{feed.slug}: GBFS {feed.version}, {feed.stations.count()} stations, "
                    f"{feed.vehicles.count()} vehicles, {feed.zones.count()} zones"
                )
                continue
            refused += 1
            self.stdout.write(f"{feed.slug}: refused ({feed.error}); the last good state stays")
            for notice in feed.notices[:10]:
                self.stdout.write(f"  {notice['file']} {notice['path']}: {notice['message']}")
        if refused:
            raise CommandError(f"{refused} feed(s) refused")

    def _feeds(self, **options):
        for feed in Feed.objects.all():
            state = f"good at {feed.good_at:%Y-%m-%d %H:%M}" if feed.good_at else "never read"
            error = f"; last poll refused: {feed.error[:100]}" if feed.error else ""
            self.stdout.write(f"{feed.slug} ({feed.url}): {state}{error}")
        if not Feed.objects.exists():
            self.stdout.write("no GBFS feeds (hub sharing add …)")
