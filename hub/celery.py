# SPDX-License-Identifier: EUPL-1.2
"""The Celery application: Redis as broker; beat runs what the apps register as periodic.

Beat's schedule is the registry's (hub.core.registry.Registry.periodic), read by the scheduler
when it is made, after Django has loaded every app. The local stack runs beat inside the one
worker (`celery worker -B`, ADR 0010).
"""

import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("hub", include=["hub.core.mail"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_scheduler = "hub.celery:RegistryScheduler"
app.autodiscover_tasks()


class RegistryScheduler(PersistentScheduler):
    """Celery's file-backed scheduler whose entries are the registry's periodic tasks.

    Celery reads `beat_schedule` while it makes the scheduler, before any beat signal is sent,
    so the registry is read here rather than in a signal handler.
    """

    def setup_schedule(self) -> None:
        from django.apps import apps

        if not apps.ready:
            import django

            django.setup()
        from hub.core.registry import registry

        self.app.conf.beat_schedule = registry.beat_schedule()
        super().setup_schedule()
