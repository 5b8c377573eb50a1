# SPDX-License-Identifier: EUPL-1.2
"""The Celery application: Redis as broker; beat runs what the apps register as periodic.

Beat's schedule is the registry's (hub.core.registry.Registry.periodic), read by the scheduler
when it is made, after Django has loaded every app. The local stack runs beat as a thread of
the one worker (`celery worker --beat-thread`, ADR 0010).
"""

import os

from celery import Celery, bootsteps
from celery.beat import EmbeddedService, PersistentScheduler
from click import Option

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


class ThreadedBeat(bootsteps.StartStopStep):
    """Beat as a thread of the worker (`--beat-thread`), not as the process Celery's `-B` forks.

    A forked beat holds a copy of the worker's resident pages (~130 MiB RSS) to send a task
    every few minutes. The thread shares the worker's memory; the scheduler, its file and the
    rule that only one worker of a deployment may run beat are the same as with `-B`.
    """

    label = "Beat (thread)"
    conditional = True

    def __init__(self, worker, beat_thread: bool = False, **kwargs) -> None:
        self.enabled = beat_thread
        super().__init__(worker, **kwargs)

    def create(self, worker):
        return EmbeddedService(
            worker.app,
            thread=True,
            schedule_filename=worker.schedule_filename,
            scheduler_cls=worker.scheduler,
        )


app.user_options["worker"].add(
    Option(
        ("--beat-thread",),
        is_flag=True,
        default=False,
        help="Run beat as a thread of this worker (one worker of a deployment only).",
    )
)
app.steps["worker"].add(ThreadedBeat)
