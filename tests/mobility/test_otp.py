# SPDX-License-Identifier: EUPL-1.2
"""OpenTripPlanner 2.8.1 as the second journey backend, for real: OTP built from the hub's
merged regional feed and asked through hub.mobility.journeys.otp, its answers mapped to the
hub's journeys. The embedded RAPTOR is the reference: what OTP finds, it finds no later."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.mobility import export, services
from hub.mobility.journeys import network, planner
from hub.mobility.journeys.otp import Otp
from hub.mobility.models import Trip
from tests.mobility import otp_local
from tests.mobility.conftest import BERLIN, ZOB, feed_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
HASSELBACHPLATZ = "de:15003:7330"
ROTTMERSLEBEN = "de:15083:1087"


@pytest.fixture
def otp(feeds, tmp_path, settings):
    settings.STATE_DIR = tmp_path
    for slug, name in (("boerdebus", "boerdebus.zip"), ("mvb-magdeburg", "mvb_magdeburg.zip")):
        services.import_feed(feeds[slug], feed_bytes(name), progress=False)
    network.forget()
    with otp_local.running(export.merged().read_bytes()) as (url, _):
        yield Otp(url)
    network.forget()


def test_otp_plans_on_the_merged_feed_and_raptor_is_never_later(otp, settings):
    at = dt.datetime(2026, 6, 10, 7, tzinfo=BERLIN)
    for start, end in ((ZOB, HASSELBACHPLATZ), (ZOB, ROTTMERSLEBEN), (HASSELBACHPLATZ, ZOB)):
        theirs = planner.plan(start, end, at, using=otp)
        assert theirs.engine == "otp"
        assert theirs.journeys, (start, end)
        for journey in theirs.journeys:
            rides = [leg for leg in journey.legs if leg.kind == "ride"]
            assert rides
            for ride in rides:  # OTP's ids are the merged feed's: they name the hub's trips
                assert Trip.objects.filter(
                    trip_id=ride.trip_id, version__feed__slug=ride.feed
                ).exists(), ride
                assert ride.line
        ours = planner.plan(start, end, at, using=planner.Raptor())
        assert min(j.arrival for j in ours.journeys) <= min(j.arrival for j in theirs.journeys)
    # The engine is chosen by configuration: HUB_OTP_URL names OTP, else RAPTOR.
    settings.HUB_OTP_URL = otp.url
    assert planner.engine().name == "otp"
    settings.HUB_OTP_URL = ""
    assert planner.engine().name == "raptor"


def test_an_unreachable_otp_is_a_503_that_says_so(feeds, settings, client):
    services.import_feed(feeds["boerdebus"], feed_bytes("boerdebus.zip"), progress=False)
    settings.HUB_OTP_URL = "http://127.0.0.1:9/otp/gtfs/v1"  # the discard port: nobody there
    answer = client.get(
        "/api/v1/mobilitaet/verbindungen",
        {"von": ZOB, "nach": ROTTMERSLEBEN, "zeit": "2026-12-08T07:00:00+01:00"},
    )
    assert answer.status_code == 503
    assert "OpenTripPlanner antwortet nicht" in answer.json()["detail"]
