# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hub.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from django.core import checks

        from hub.core import errors

        # Machine callers without a standard error shape of their own get problem details.
        errors.add_renderer("webhook", errors.problem)
        checks.register(_registry_fits, "hub")


def _registry_fits(app_configs=None, **kwargs):
    from django.core import checks

    from hub.core.registry import registry

    return [checks.Error(problem, id="hub.E001") for problem in registry.problems()]
