# SPDX-License-Identifier: EUPL-1.2
"""OpenTripPlanner 2.8 as the journey planner (HUB_OTP_URL): for deployments that want its
GTFS-Flex and GBFS routing and its street network. It plans on the hub's merged regional feed
(GET /api/v1/mobilitaet/gtfs/regional.zip, built into OTP's graph with the feed id `hub`, so
OTP's ids are the feed's: `hub:de:15083:1555`, `hub:boerdebus:92198436`), through its GTFS
GraphQL API (`planConnection`). Live data: OTP's own GTFS-RT updaters, configured there.
"""

from __future__ import annotations

import datetime as dt

import requests

from hub.core.errors import HubError
from hub.mobility import selectors
from hub.mobility.journeys.results import Journey, Leg, Place, Plan, pareto

FEED_ID = "hub"
TIMEOUT = 20

QUERY = """
query ($origin: PlanLabeledLocationInput!, $destination: PlanLabeledLocationInput!,
       $when: PlanDateTimeInput!) {
  planConnection(origin: $origin, destination: $destination, dateTime: $when, first: 6) {
    edges { node {
      start end
      legs {
        mode distance headsign
        from { name stop { gtfsId platformCode } }
        to { name stop { gtfsId platformCode } }
        start { scheduledTime estimated { delay } }
        end { scheduledTime estimated { delay } }
        route { shortName longName type }
        trip { gtfsId }
        intermediateStops { gtfsId }
      }
    } }
  }
}
"""


class OtpUnavailable(HubError):
    status, code = 503, "unavailable"


def _location(place: Place) -> dict:
    if place.key:
        return {"location": {"stopLocation": {"stopLocationId": f"{FEED_ID}:{place.key}"}}}
    return {"location": {"coordinate": {"latitude": place.lat, "longitude": place.lon}}}


def _local(feed_id: str | None) -> str:
    return (feed_id or "").removeprefix(f"{FEED_ID}:")


def _seconds(iso_duration: str | None) -> int | None:
    """OTP's delays are ISO 8601 durations ("PT5M", "-PT30S")."""
    if not iso_duration:
        return None
    sign = -1 if iso_duration.startswith("-") else 1
    text = iso_duration.lstrip("-").removeprefix("PT")
    total, number = 0.0, ""
    for char in text:
        if char.isdigit() or char == ".":
            number += char
            continue
        total += float(number or 0) * {"H": 3600, "M": 60, "S": 1}.get(char, 0)
        number = ""
    return sign * round(total)


class Otp:
    name = "otp"

    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()

    def plan(
        self,
        start: Place,
        end: Place,
        at: dt.datetime,
        *,
        arrive_by: bool,
        covered: selectors.Timetable,
    ) -> Plan:
        when = {"latestArrival" if arrive_by else "earliestDeparture": at.isoformat()}
        variables = {
            "origin": _location(start),
            "destination": _location(end),
            "when": when,
        }
        try:
            answer = self.session.post(
                self.url, json={"query": QUERY, "variables": variables}, timeout=TIMEOUT
            )
            answer.raise_for_status()
            body = answer.json()
        except (requests.RequestException, ValueError) as exc:
            raise OtpUnavailable(f"OpenTripPlanner antwortet nicht: {exc}") from None
        if body.get("errors"):
            raise OtpUnavailable(f"OpenTripPlanner: {body['errors'][0].get('message', '')[:300]}")
        edges = ((body.get("data") or {}).get("planConnection") or {}).get("edges") or []
        journeys = [_journey(edge["node"]) for edge in edges]
        journeys = pareto([j for j in journeys if j.legs], arrive_by)
        empty = "" if journeys else "Keine Verbindung in den nächsten Stunden gefunden."
        return Plan(
            start, end, at, arrive_by, journeys, empty, covered.attributions, engine=self.name
        )


def _journey(node: dict) -> Journey:
    legs = []
    for leg in node["legs"]:
        ride = leg["mode"] != "WALK"
        trip = _local((leg.get("trip") or {}).get("gtfsId"))
        feed, _, trip_id = trip.partition(":")
        route = leg.get("route") or {}
        begin, finish = leg["start"], leg["end"]
        legs.append(
            Leg(
                "ride" if ride else "walk",
                leg["from"]["name"],
                leg["to"]["name"],
                dt.datetime.fromisoformat(begin["scheduledTime"]),
                dt.datetime.fromisoformat(finish["scheduledTime"]),
                start_stop=_local((leg["from"].get("stop") or {}).get("gtfsId")),
                end_stop=_local((leg["to"].get("stop") or {}).get("gtfsId")),
                start_platform=(leg["from"].get("stop") or {}).get("platformCode") or "",
                end_platform=(leg["to"].get("stop") or {}).get("platformCode") or "",
                line=(route.get("shortName") or route.get("longName") or "") if ride else "",
                route_type=route.get("type") if ride else None,
                headsign=leg.get("headsign") or "",
                trip_id=trip_id,
                feed=feed,
                stops=len(leg.get("intermediateStops") or []),
                metres=0 if ride else round(leg.get("distance") or 0),
                delay_departure=_seconds((begin.get("estimated") or {}).get("delay")),
                delay_arrival=_seconds((finish.get("estimated") or {}).get("delay")),
            )
        )
    rides = sum(1 for leg in legs if leg.kind == "ride")
    return Journey(
        dt.datetime.fromisoformat(node["start"]),
        dt.datetime.fromisoformat(node["end"]),
        max(rides - 1, 0),
        legs,
    )
