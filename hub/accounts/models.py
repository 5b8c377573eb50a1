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
