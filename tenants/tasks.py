# SPDX-License-Identifier: EUPL-1.2
"""Periodic reconcile of the tenant files (Celery beat, every HUB_RECONCILE_MINUTES)."""

from __future__ import annotations

import logging

import requests
from celery import shared_task
from keycloak.exceptions import KeycloakConnectionError

from connectors.ckan import CkanUnavailable
from identity.realm import IdentityConfigError
from tenants import reconcile
from tenants.spec import TenantsInvalid

log = logging.getLogger(__name__)


@shared_task(
    name="tenants.tasks.reconcile_tenants",
    # Keycloak restarting or unreachable: try again later, backing off up to 10 minutes.
    autoretry_for=(KeycloakConnectionError, requests.ConnectionError, CkanUnavailable),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def reconcile_tenants() -> dict[str, int]:
    """Apply tenants/*.yaml; invalid files are reported and nothing is applied."""
    try:
        plan = reconcile.plan()
    except TenantsInvalid as exc:
        for problem in exc.problems:
            log.error("tenant file problem: %s", problem)
        return {"applied": 0, "problems": len(exc.problems)}
    except IdentityConfigError as exc:
        log.error("tenant file problem: %s", exc)
        return {"applied": 0, "problems": 1}
    applied = reconcile.apply(plan, actor="celery:reconcile")
    if applied:
        log.info("reconcile applied %d change(s)", applied)
    return {"applied": applied, "problems": 0}
