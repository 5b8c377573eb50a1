# SPDX-License-Identifier: EUPL-1.2
"""Django admin for the region's staff. Tenant rows come from tenants/*.yaml: edit the file."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from hub.tenancy.models import RECONCILED_FIELDS, Membership, Tenant, TenantEvent


@admin.register(Tenant)
class TenantAdmin(GISModelAdmin):
    list_display = ("display_name", "slug", "kind", "ags", "ars", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "slug", "ags", "ars")
    # Reconcile owns these: a change here would be undone by the next `hub tenants apply`.
    readonly_fields = (
        "slug",
        *RECONCILED_FIELDS,
        "parents",
        "is_active",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "tenant", "role", "created_at")
    list_filter = ("role", "tenant")
    search_fields = ("user__username", "user__email", "tenant__name")
    autocomplete_fields = ("user",)


@admin.register(TenantEvent)
class TenantEventAdmin(admin.ModelAdmin):
    list_display = ("at", "tenant", "action", "actor")
    list_filter = ("action", "tenant")
    readonly_fields = ("at", "tenant", "actor", "action", "details")

    def has_add_permission(self, request):
        return False
