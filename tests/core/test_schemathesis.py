# SPDX-License-Identifier: EUPL-1.2
"""Schemathesis over the API's OpenAPI document, in process (the hub's WSGI application, the
test database): for each operation, generated requests (valid and invalid ones) with all of
schemathesis' checks: no 5xx, only declared statuses, content types and bodies as declared,
valid requests accepted, invalid ones refused. Bounded and derandomised, so that a run is
repeatable and takes seconds per operation.

(schemathesis' own pytest integration does not run under this pytest; the operations are
walked here with the same strategies and checks.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS

from hub.wsgi import application
from tests.core.test_isolation import _rows

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
EXAMPLES = 30


@pytest.fixture
def api(seeded):
    # As Django's test client does: a request must not close the test's connection (it holds
    # the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_its_document(api):
    failures, walked = [], 0
    every_check = CHECKS.get_all()  # `--checks all` (the OpenAPI ones register with the schema)
    before = _rows()
    for result in api.get_all_operations():
        operation = result.ok()
        walked += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=every_check)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert walked >= 10
    assert len(every_check) >= 10, [c.__name__ for c in every_check]
    assert not failures, "\n\n".join(failures)
    assert _rows() == before  # refused writes (no token) leave nothing behind
