# SPDX-License-Identifier: EUPL-1.2
"""Django admin for the region's staff: sensor sites, datastreams, devices, dead letters."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from hub.sensors.models import Datastream, DeadLetter, Device, Location, SensorNetwork, Thing


@admin.register(Thing)
class ThingAdmin(admin.ModelAdmin):
    list_display = ("name", "tenant", "public")
    list_filter = ("tenant", "public")
    search_fields = ("name", "description")


@admin.register(Location)
class LocationAdmin(GISModelAdmin):
    list_display = ("name", "tenant")
    list_filter = ("tenant",)


@admin.register(Datastream)
class DatastreamAdmin(admin.ModelAdmin):
    list_display = ("name", "thing", "tenant")
    list_filter = ("tenant",)
    search_fields = ("name",)


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("network", "key", "thing", "decoder", "tenant")
    list_filter = ("network", "tenant")
    search_fields = ("key",)


@admin.register(SensorNetwork)
class SensorNetworkAdmin(admin.ModelAdmin):
    list_display = ("tenant", "retention_days")
    readonly_fields = ("webhook_secret_sha256",)


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    """What ingest could not map: for finding the broken device, never edited."""

    list_display = ("received_at", "channel", "topic", "reason", "size")
    list_filter = ("channel",)
    search_fields = ("topic", "reason")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
