# SPDX-License-Identifier: EUPL-1.2
"""The feeds in the admin: where each comes from, its live version and the end of service."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.mobility.models import Feed, FeedVersion
from hub.mobility.services import WARN_DAYS


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "licence", "service_end", "checked_at")
    readonly_fields = ("live", "checked_at", "etag", "last_modified")

    @admin.display(description=_("Fahrtage bis"))
    def service_end(self, feed: Feed) -> str:
        if feed.live is None or feed.live.last_day is None:
            return "-"
        left = (feed.live.last_day - timezone.localdate()).days
        end = f"{feed.live.last_day:%d.%m.%Y}"
        return f"{end} ⚠ {left} Tage" if left <= WARN_DAYS else end


@admin.register(FeedVersion)
class FeedVersionAdmin(admin.ModelAdmin):
    list_display = ("feed", "imported_at", "state", "first_day", "last_day", "declared_end")
    list_filter = ("state", "feed")
    readonly_fields = [f.name for f in FeedVersion._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
