# SPDX-License-Identifier: EUPL-1.2
"""The hub's user. Identity itself lives in Keycloak; this row links to it by subject."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # The Keycloak subject ("sub" claim) once the user has signed in through the realm.
    keycloak_sub = models.CharField(
        _("Keycloak-Subjekt"), max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")


class ApiClient(models.Model):
    """A developer's API client (OAuth2 client credentials), registered in Keycloak by the hub.

    Keycloak holds the secret; the hub shows it once and never stores it.
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_clients")
    client_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    rate_limit = models.PositiveIntegerField(
        _("Anfragen pro Minute"), help_text=_("Obergrenze der API-Anfragen je Minute")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-Client")
        verbose_name_plural = _("API-Clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
