# SPDX-License-Identifier: EUPL-1.2
"""One way in: an app that registers itself (tests/core/throwaway) is in the URLs, the beat
schedule, `hub seed`, the portal, the search box and the isolation matrix, and the core names
it nowhere."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import tests.core.throwaway as throwaway_package
from hub import celery as hub_celery
from hub.api import api
from hub.core.management.commands.seed import Command as Seed
from hub.core.registry import discover_apps, registry
from hub.portal import services as portal
from hub.tenancy.context import system_context
from hub.tenancy.models import Tenant
from tests.core.endpoints import make_samples, registered
from tests.core.test_isolation import check
from tests.core.throwaway import views as throwaway_views
from tests.core.throwaway.apps import ThrowawayConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def throwaway(settings):
    """The throwaway app registered for one test, with the URLs built again; then undone."""
    saved = registry.copy()
    ThrowawayConfig("tests.core.throwaway", throwaway_package).ready()
    import hub.urls

    root = types.ModuleType("throwaway_root")
    root.urlpatterns = hub.urls.patterns(api.urls)
    sys.modules["throwaway_root"] = root
    clear_url_caches()
    with override_settings(ROOT_URLCONF="throwaway_root"):
        yield
    clear_url_caches()
    del sys.modules["throwaway_root"]
    registry.restore(saved)
    throwaway_views.LEAKY["on"] = False


def test_apps_are_found_not_listed():
    found = discover_apps()
    for app in ("hub.participation", "hub.consultations", "hub.sensors", "hub.opendata"):
        assert app in found
        assert app in {a.name for a in apps.get_app_configs()}
    for core_file in ("hub/settings.py", "hub/urls.py", "hub/celery.py"):
        text = (ROOT / core_file).read_text("utf-8")
        for app in ("participation", "consultations", "sensors", "opendata"):
            assert f"hub.{app}" not in text, f"{core_file} names hub.{app}"


def test_a_registered_app_is_in_the_urls(throwaway, client, seeded):
    assert reverse("throwaway:page", kwargs={"slug": "haldensleben"}) == "/t/haldensleben/wegwerf/"
    response = client.get("/t/haldensleben/wegwerf/")
    assert response.status_code == 200
    assert "Wegwerfdienst von Stadt Haldensleben" in response.text


def test_a_registered_app_is_in_the_beat_schedule(throwaway, tmp_path):
    scheduler = hub_celery.RegistryScheduler(
        app=hub_celery.app, schedule_filename=str(tmp_path / "beat-schedule"), lazy=False
    )
    try:
        entry = scheduler.schedule["throwaway-tick"]
        assert entry.task == "tests.core.throwaway.tick"
        assert entry.schedule.run_every.total_seconds() == 42.0
        assert "sensor-rollups" in scheduler.schedule
        assert "reconcile-tenants" in scheduler.schedule
    finally:
        scheduler.close()


def test_a_registered_app_seeds_with_the_others(throwaway):
    out = io.StringIO()
    Seed(stdout=out).run_from_argv(["hub", "seed", "--list"])
    assert out.getvalue().splitlines()[-1].split() == ["99", "throwaway"]
    out = io.StringIO()
    Seed(stdout=out).run_from_argv(["hub", "seed", "--only", "throwaway"])
    assert "seeded the throwaway" in out.getvalue()


def test_a_registered_app_is_on_the_portal_of_tenants_that_list_it(throwaway, client, seeded):
    with system_context():
        Tenant.objects.filter(slug="haldensleben").update(
            services=[*seeded["haldensleben"].services, "throwaway"]
        )
    page = client.get("/t/haldensleben/").text
    assert '<a href="/t/haldensleben/wegwerf/">Wegwerfdienst nutzen</a>' in page
    # Citizens' services come first: the throwaway (order 1) before "Problem melden" (10).
    # (The header's navigation names "Problem melden" too: look at the services only.)
    services = page[page.index('id="services-heading"') :]
    assert services.index("Wegwerfdienst nutzen") < services.index("Problem melden")
    other = client.get("/t/hohe-boerde/").text
    assert "Wegwerfdienst nutzen" not in other  # its YAML does not list the service
    assert [s.title for s in portal.tenant_services(seeded["hohe-boerde"])].count(
        "Wegwerfdienst nutzen"
    ) == 0


def test_a_registered_app_is_in_the_search(throwaway, client, seeded):
    page = client.get("/suche/", {"q": "Wegwerf"}).text
    assert '<a href="/wegwerf/">Wegwerf-Treffer</a>' in page


def test_a_registered_app_is_in_the_isolation_matrix(throwaway, seeded, client):
    endpoints = [e for e in registered() if e.name.startswith("throwaway:")]
    assert {e.name for e in endpoints} == {"throwaway:page", "throwaway:staff"}
    values, markers = make_samples(seeded["haldensleben"])
    problems, checked = check(endpoints, values, markers, "anonymous", client, None)
    assert checked == 2
    assert not problems
    # A page that forgets its check is caught: the matrix sees the private marker.
    throwaway_views.LEAKY["on"] = True
    problems, _ = check(endpoints, values, markers, "anonymous", client, None)
    assert len(problems) == 1
    assert "/t/haldensleben/wegwerf/" in problems[0]
    assert "shows private" in problems[0]
