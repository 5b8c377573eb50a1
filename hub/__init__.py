# SPDX-License-Identifier: EUPL-1.2
"""The Regional Data Hub: a Django project with one app per bounded context."""

from hub.celery import app as celery_app

__all__ = ["celery_app"]
