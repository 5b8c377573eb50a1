# SPDX-License-Identifier: EUPL-1.2
"""Public transport: the GTFS feeds the region uses, each imported as a version, and the
timetable of each version (stops, routes, trips, stop times, service days, transfers).

A feed's `live` version is what every board and journey reads; an import builds a new version
beside it and switches `live` in the same transaction, so readers see the old timetable or the
new one, never half of one (hub.mobility.services.import_feed). The timetable is regional open
data, not tenant-owned: a tenant sees the stops inside its area (hub.mobility.selectors).

Times of day are seconds after "noon minus 12 hours" of the service day (GTFS), so 25:10:00 is
90,600; the stop-time table holds nothing else per row than what a departure board needs.
"""

from __future__ import annotations

from django.contrib.gis.db import models as gis
from django.db import models
from django.utils.translation import gettext_lazy as _


class Feed(models.Model):
    """A GTFS feed as configuration: where it comes from, its licence, how often it is read."""

    slug = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    # A path below HUB_DATA_DIR, an absolute path, or an https:// URL.
    source = models.CharField(_("Quelle"), max_length=500)
    licence = models.CharField(_("Lizenz"), max_length=100)
    attribution = models.TextField(_("Namensnennung"))
    refresh_hours = models.PositiveIntegerField(_("Aktualisierung (Stunden)"), default=24)
    # GTFS-Realtime (TripUpdates, ServiceAlerts) of the same trips, polled every 30 s.
    realtime_url = models.URLField(_("Echtzeit (GTFS-RT)"), max_length=500, blank=True)
    # What the source answered last (conditional requests: If-None-Match, If-Modified-Since).
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    checked_at = models.DateTimeField(_("Zuletzt geprüft"), null=True, blank=True, editable=False)
    live = models.ForeignKey(
        "FeedVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("Aktive Version"),
    )

    class Meta:
        verbose_name = _("Fahrplan-Feed (GTFS)")
        verbose_name_plural = _("Fahrplan-Feeds (GTFS)")

    def __str__(self) -> str:
        return self.name


class FeedVersion(models.Model):
    """One import of a feed: live, replaced by a newer one, or refused by the validator."""

    class State(models.TextChoices):
        LIVE = "live", _("aktiv")
        REPLACED = "replaced", _("ersetzt")
        REFUSED = "refused", _("abgelehnt")

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="versions")
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("Importiert"), auto_now_add=True)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices)
    # The validator's notices (code, severity, file, row, field, message), the errors first.
    notices = models.JSONField(_("Hinweise des Validators"), default=list, blank=True)
    first_day = models.DateField(_("Erster Fahrtag"), null=True, blank=True)
    # The real last day of service, from calendar and calendar_dates (not feed_info).
    last_day = models.DateField(_("Letzter Fahrtag"), null=True, blank=True)
    declared_end = models.DateField(_("Gültig bis (feed_info)"), null=True, blank=True)
    timezone = models.CharField(max_length=60, default="Europe/Berlin")
    counts = models.JSONField(default=dict, blank=True)  # rows per file
    # agency.txt as read (agency_id, name, url, timezone, lang, phone): the merged feed's.
    agencies = models.JSONField(default=list, blank=True)
    # When the service-end warning went out (once per version).
    end_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Fahrplanversion")
        verbose_name_plural = _("Fahrplanversionen")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.feed.slug} {self.imported_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"


class Stop(models.Model):
    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="stops")
    stop_id = models.CharField(max_length=100)
    name = models.CharField(_("Name"), max_length=200)
    point = gis.PointField(srid=4326)
    # The station a stop belongs to: its parent_station, else the first three parts of its
    # DHID (de:15083:1234:1:2 → de:15083:1234), else the stop itself.
    station = models.CharField(max_length=100, db_index=True)
    platform = models.CharField(max_length=50, blank=True)
    wheelchair = models.PositiveSmallIntegerField(default=0)  # 0 unknown, 1 yes, 2 no

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "stop_id"], name="mobility_stop_once")
        ]

    def __str__(self) -> str:
        return self.stop_id


class Route(models.Model):
    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="routes")
    route_id = models.CharField(max_length=100)
    agency = models.CharField(max_length=200, blank=True)
    short_name = models.CharField(max_length=50, blank=True)
    long_name = models.CharField(max_length=200, blank=True)
    route_type = models.PositiveIntegerField()
    color = models.CharField(max_length=6, blank=True)
    text_color = models.CharField(max_length=6, blank=True)
    # The line on the map: its trips' shapes, else the stops of its longest trip in order.
    geometry = gis.MultiLineStringField(srid=4326, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "route_id"], name="mobility_route_once")
        ]

    def __str__(self) -> str:
        return self.short_name


class Shape(models.Model):
    """A row group of shapes.txt: the path a trip's vehicle takes."""

    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    shape_id = models.CharField(max_length=100)
    line = gis.LineStringField(srid=4326)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "shape_id"], name="mobility_shape_once")
        ]

    def __str__(self) -> str:
        return self.shape_id


class Trip(models.Model):
    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="trips")
    trip_id = models.CharField(max_length=100)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(max_length=100)
    headsign = models.CharField(max_length=200, blank=True)
    direction = models.SmallIntegerField(null=True)
    shape_id = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "trip_id"], name="mobility_trip_once")
        ]
        indexes = [models.Index(fields=["version", "service_id"])]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stop_times")
    sequence = models.PositiveIntegerField()
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="stop_times")
    arrival = models.PositiveIntegerField()  # seconds after noon - 12 h of the service day
    departure = models.PositiveIntegerField()
    pickup = models.PositiveSmallIntegerField(default=0)  # 1: no pickup
    drop_off = models.PositiveSmallIntegerField(default=0)
    last = models.BooleanField(default=False)  # the trip ends here: no departure

    class Meta:
        indexes = [models.Index(fields=["stop", "departure"], name="mobility_board")]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.sequence}"


class Service(models.Model):
    """A row of calendar.txt: the weekdays (bit 0 Monday … bit 6 Sunday) between two dates."""

    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="services")
    service_id = models.CharField(max_length=100)
    weekdays = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["version", "service_id"])]

    def __str__(self) -> str:
        return self.service_id


class ServiceDate(models.Model):
    """A row of calendar_dates.txt: the service added (or removed) on one date."""

    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    service_id = models.CharField(max_length=100)
    date = models.DateField()
    added = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["version", "service_id", "date"])]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date} {'+' if self.added else '-'}"


class Transfer(models.Model):
    version = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    from_stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+")
    to_stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+")
    transfer_type = models.PositiveSmallIntegerField(default=0)
    min_seconds = models.PositiveIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.from_stop_id} → {self.to_stop_id}"


class StopAccess(models.Model):
    """What staff found out about a stop's accessibility (the feeds say "unknown" everywhere).

    Keyed by stop_id (the DHID), so it outlives feed versions; the merged regional feed and the
    boards use it instead of the feed's wheelchair_boarding.
    """

    class Wheelchair(models.IntegerChoices):
        UNKNOWN = 0, _("unbekannt")
        YES = 1, _("stufenlos erreichbar")
        NO = 2, _("nicht stufenlos erreichbar")

    stop_id = models.CharField(_("Haltestelle (DHID)"), max_length=100, unique=True)
    wheelchair = models.PositiveSmallIntegerField(
        _("Rollstuhl"), choices=Wheelchair.choices, default=Wheelchair.UNKNOWN
    )
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    tenant = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.PROTECT, related_name="+", verbose_name=_("Erfasst von")
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Barrierefreiheit einer Haltestelle")
        verbose_name_plural = _("Barrierefreiheit der Haltestellen")

    def __str__(self) -> str:
        return f"{self.stop_id}: {self.get_wheelchair_display()}"
