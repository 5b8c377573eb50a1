# SPDX-License-Identifier: EUPL-1.2
"""Tenants, their hierarchy, memberships and the tenant-owned base of every other app's data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.tenancy.context import current_scope


class Kind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeinde")
    ASSOCIATION = "association", _("Verbandsgemeinde")
    DISTRICT = "district", _("Landkreis")
    NETWORK = "network", _("Netzwerk")
    CENTRE = "centre", _("Zentrum")


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Bürgerin/Bürger")
    EDITOR = "editor", _("Redaktion")
    MODERATOR = "moderator", _("Moderation")
    TENANT_ADMIN = "tenant-admin", _("Mandanten-Administration")
    REGION_ADMIN = "region-admin", _("Regional-Administration")
    DEVELOPER = "developer", _("Entwicklerin/Entwickler")


# Roles that reach from a tenant down to its children (a district's editor edits its towns);
# citizen and developer are personal roles and stay with the tenant they were given on.
CASCADING_ROLES = frozenset({Role.EDITOR, Role.MODERATOR, Role.TENANT_ADMIN, Role.REGION_ADMIN})


class Tenant(models.Model):
    """A municipality, association, district, network or centre that uses the hub.

    The registry of tenants is public (names, kinds, boundaries); what a tenant owns is not.
    Tenants are never deleted: a tenant whose YAML file disappears is deactivated.
    """

    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)
    name = models.CharField(_("amtlicher Name"), max_length=200)
    short_name = models.CharField(_("Anzeigename"), max_length=80, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    ags = models.CharField(_("AGS"), max_length=8, unique=True, null=True, blank=True)
    ars = models.CharField(_("ARS"), max_length=12, unique=True, null=True, blank=True)
    parents = models.ManyToManyField(
        "self", symmetrical=False, related_name="children", blank=True, verbose_name=_("gehört zu")
    )
    contact = models.JSONField(_("Kontakt"), default=dict, blank=True)
    services = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    mail_domains = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    identity_provider = models.JSONField(_("eigener Identitätsanbieter"), null=True, blank=True)
    boundary = gis.MultiPolygonField(_("Gebiet"), srid=4326, null=True, blank=True)
    boundary_source = models.CharField(_("Quelle des Gebiets"), max_length=200, blank=True)
    # Scale denominator of the boundary (5,000,000 for VG5000, 250,000 for VG250): a finer
    # boundary is never replaced by a coarser one.
    boundary_scale = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Mandant")
        verbose_name_plural = _("Mandanten")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def official_key(self) -> str | None:
        return self.ags or self.ars


# The fields `hub tenants apply` owns (from tenants/*.yaml): read-only everywhere else.
RECONCILED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "ags",
    "ars",
    "contact",
    "services",
    "mail_domains",
    "identity_provider",
    "boundary_source",
    "boundary_scale",
)


class TenantScopedQuerySet(models.QuerySet):
    def for_tenant(self, tenant: Tenant | int) -> TenantScopedQuerySet:
        return self.filter(tenant_id=getattr(tenant, "pk", tenant))


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    """The first wall: only rows of the tenants in the current scope; none without a scope."""

    def get_queryset(self) -> TenantScopedQuerySet:
        scope = current_scope()
        queryset = super().get_queryset()
        if scope.system:
            return queryset
        return queryset.filter(tenant_id__in=sorted(scope.tenant_ids))


class TenantOwned(models.Model):
    """Base of every row that belongs to one tenant.

    Every concrete subclass needs row-level security in its migration
    (`hub.tenancy.rls.enable(...)`); a test checks that none is forgotten.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, verbose_name=_("Mandant"))

    objects = TenantScopedManager()

    class Meta:
        abstract = True


class Membership(TenantOwned):
    """A person's role in a tenant. Synchronised from Keycloak at sign-in once identity lands."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant", "role"], name="membership_unique")
        ]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.tenant}"


class TenantEvent(TenantOwned):
    """The audit log of a tenant: what reconcile, an import or a person changed, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.tenant_id}"
