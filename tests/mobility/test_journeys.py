# SPDX-License-Identifier: EUPL-1.2
"""Journey planning on both real feeds: the embedded RAPTOR against the oracle (connection
scan over the zip files, tests/mobility/oracle.py) for 200 seeded random stop pairs, the API
and the page, arrive-by, and what a bad query gets."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from hub.mobility import services
from hub.mobility.journeys import network, raptor
from tests.mobility import oracle
from tests.mobility.conftest import BERLIN, GTFS, ZOB, feed_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
# A Wednesday on which both feeds run (MVB's full summer timetable ends in July).
WEDNESDAY = dt.date(2026, 6, 10)
HASSELBACHPLATZ = "de:15003:7330"
HORIZON = 4 * 3600


@pytest.fixture
def both(feeds):
    for slug, name in (("boerdebus", "boerdebus.zip"), ("mvb-magdeburg", "mvb_magdeburg.zip")):
        services.import_feed(feeds[slug], feed_bytes(name), progress=False)
    network.forget()
    yield
    network.forget()


def test_raptor_finds_what_the_oracle_finds_for_200_random_stop_pairs(both):
    day = network.network_for(WEDNESDAY)
    net = day.network
    change = {net.stops[i]: s for i, s in enumerate(net.change)}
    walks = {net.stops[i]: [(net.stops[j], s) for j, s in out] for i, out in enumerate(net.walks)}
    conns = oracle.connections([GTFS / "boerdebus.zip", GTFS / "mvb_magdeburg.zip"], WEDNESDAY)
    served = sorted(net.stops[i] for i, s in enumerate(net.serves) if s)
    rng = random.Random(20260610)
    connected = compared = 0
    for _ in range(200):
        a, b = rng.sample(served, 2)
        leave = int(dt.datetime.combine(WEDNESDAY, dt.time(6), BERLIN).timestamp()) + rng.randrange(
            0, 4 * 3600, 60
        )
        expected = oracle.earliest(
            conns, a, b, leave, change=change, walks=walks, max_rides=6, horizon=HORIZON
        )
        found = raptor.search(net, {net.index[a]: leave}, {net.index[b]: 0}, max_rides=6)
        got = {}
        for f in found:
            last = f.legs[-1]
            arrive = net.patterns[last.pattern].arr[last.alight][last.trip]
            got[f.rides] = arrive
            assert _is_valid(net, f, leave), (a, b, leave, f)
        connected += bool(expected)
        for k, arrival in expected.items():
            best = min((t for r, t in got.items() if r <= k), default=None)
            assert best is not None, f"{a} -> {b} at {leave}: the oracle rides {k}, RAPTOR none"
            assert best <= arrival, (a, b, leave, k, best, arrival)
            if arrival <= leave + HORIZON:
                assert best == arrival, (a, b, leave, k, best, arrival)
                compared += 1
        # Each answer RAPTOR gives is Pareto-optimal: more rides only for an earlier arrival.
        arrivals = [got[k] for k in sorted(got)]
        assert arrivals == sorted(arrivals, reverse=True)
        assert len(set(arrivals)) == len(arrivals)
    assert connected >= 100, connected  # the comparison is not vacuous
    assert compared >= 150, compared


def _is_valid(net: raptor.Network, found: raptor.Found, leave: int) -> bool:
    """The legs follow each other in time and place, with the change rules kept."""
    at, where, rode = leave, found.source, False
    for leg in found.legs:
        if isinstance(leg, raptor.Walk):
            if leg.start != where or (leg.end, leg.seconds) not in net.walks[leg.start]:
                return False
            at, where, rode = at + leg.seconds, leg.end, False
            continue
        pattern = net.patterns[leg.pattern]
        if pattern.stops[leg.board] != where or not pattern.pickup[leg.board]:
            return False
        needed = at + (net.change[where] if rode else 0)
        if pattern.dep[leg.board][leg.trip] < needed or not pattern.drop[leg.alight]:
            return False
        at, where, rode = pattern.arr[leg.alight][leg.trip], pattern.stops[leg.alight], True
    return where == found.target


def test_haldensleben_to_magdeburg_through_the_api(client, both):
    answer = client.get(
        "/api/v1/mobilitaet/verbindungen",
        {
            "von": "Haldensleben, ZOB",
            "nach": "Magdeburg, Hasselbachplatz",
            "zeit": "2026-06-10T07:00",
        },
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["start"]["station"] == ZOB
    assert body["end"]["station"] == HASSELBACHPLATZ
    assert body["engine"] == "raptor"
    journeys = body["journeys"]
    assert journeys, body
    start = dt.datetime(2026, 6, 10, 7, tzinfo=BERLIN)
    for j in journeys:
        legs = j["legs"]
        assert dt.datetime.fromisoformat(j["departure"]) >= start
        assert legs[0]["start_stop"].startswith(ZOB)
        assert legs[-1]["end_stop"].startswith(HASSELBACHPLATZ)
        rides = [leg for leg in legs if leg["kind"] == "ride"]
        assert j["changes"] == len(rides) - 1 >= 1  # no bus goes all the way
        assert all(r["line"] and r["trip_id"] and r["headsign"] for r in rides)
        for before, after in itertools.pairwise(legs):
            assert before["arrival"] <= after["departure"]
            assert before["end_stop"] == after["start_stop"] or after["kind"] == "walk"
    # The Pareto set: each further change buys an earlier arrival.
    ordered = sorted(journeys, key=lambda j: j["changes"])
    arrivals = [j["arrival"] for j in ordered]
    assert arrivals == sorted(arrivals, reverse=True)
    assert "NASA GmbH" in body["attribution"][0]


def test_arrive_by_leaves_as_late_as_possible(client, both):
    query = {"von": ZOB, "nach": HASSELBACHPLATZ, "zeit": "2026-06-10T09:00:00+02:00"}
    late = client.get("/api/v1/mobilitaet/verbindungen", {**query, "ankunft": "true"}).json()
    deadline = dt.datetime(2026, 6, 10, 9, tzinfo=BERLIN)
    assert late["arrive_by"] is True
    assert late["journeys"]
    for j in late["journeys"]:
        assert dt.datetime.fromisoformat(j["arrival"]) <= deadline
    # Leaving a minute after the latest departure, nothing with as few changes arrives in time.
    latest = max(late["journeys"], key=lambda j: j["departure"])
    after = dt.datetime.fromisoformat(latest["departure"]) + dt.timedelta(minutes=1)
    later = client.get(
        "/api/v1/mobilitaet/verbindungen", {**query, "zeit": after.isoformat()}
    ).json()
    assert all(
        dt.datetime.fromisoformat(j["arrival"]) > deadline or j["changes"] > latest["changes"]
        for j in later["journeys"]
    )


def test_from_a_map_point_walks_to_the_stops_near_it(client, both):
    # A point in Haldensleben's old town, some 300 m from the ZOB.
    body = client.get(
        "/api/v1/mobilitaet/verbindungen",
        {"von": "geo:52.2872,11.4102", "nach": HASSELBACHPLATZ, "zeit": "2026-06-10T07:00"},
    ).json()
    assert body["start"]["kind"] == "point"
    first = body["journeys"][0]["legs"][0]
    assert first["kind"] == "walk"
    assert first["start"] == "Start"
    assert 0 < first["metres"] < 1300


def test_the_page_plans_without_javascript(client, both, seeded):
    page = client.get(
        "/t/haldensleben/mobilitaet/verbindung/",
        {
            "von": "Haldensleben, ZOB",
            "nach": "Magdeburg, Hasselbachplatz",
            "zeit": "2026-06-10T07:00",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "<form" in html
    assert 'name="von"' in html
    assert "Umstieg" in html
    assert "Rottmersleben" in html or "Magdeburg" in html
    empty = client.get("/t/haldensleben/mobilitaet/verbindung/")
    assert empty.status_code == 200
    assert "<form" in empty.content.decode()
    bad = client.get("/t/haldensleben/mobilitaet/verbindung/", {"von": ZOB, "nach": ZOB})
    assert bad.status_code == 400
    assert "Start und Ziel sind derselbe Ort" in bad.content.decode()


BAD = [
    ({"von": ZOB, "nach": "de:15083:0000"}, 404, "kennt der Datenhub nicht"),
    ({"von": ZOB, "nach": "Nirgendwo 1, Atlantis"}, 404, "kennt der Datenhub nicht"),
    ({"von": ZOB, "nach": ZOB}, 400, "derselbe Ort"),
    ({"von": ZOB, "nach": HASSELBACHPLATZ, "zeit": "2027-06-10T07:00"}, 404, "nur bis"),
    ({"von": ZOB, "nach": HASSELBACHPLATZ, "zeit": "2025-06-10T07:00"}, 404, "erst ab"),
    ({"von": ZOB, "nach": HASSELBACHPLATZ, "zeit": "morgen"}, 422, "datetime"),
    ({"von": ZOB}, 422, "nach"),
    ({"von": "geo:95,11", "nach": ZOB}, 400, "keine gültige Koordinate"),
    ({"von": "", "nach": ZOB}, 422, "von"),
    ({"von": "x" * 201, "nach": ZOB}, 422, ""),
    ({"von": "Haldensleben\x00", "nach": ZOB}, 400, "NUL"),
]


def test_a_bad_journey_query_gets_a_clear_4xx(client, both):
    for query, status, message in BAD:
        answer = client.get(
            "/api/v1/mobilitaet/verbindungen", {"zeit": "2026-06-10T07:00", **query}
        )
        assert answer.status_code == status, (query, answer.content)
        assert message in answer.content.decode(), (query, answer.content)
