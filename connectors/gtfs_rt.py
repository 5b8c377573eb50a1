# SPDX-License-Identifier: EUPL-1.2
"""GTFS-Realtime in: a FeedMessage (protobuf, gtfs-realtime-bindings) read into what a
departure board needs: per trip and service day, the delays from a stop on and whether the
trip or a stop is cancelled.

A body that is not a FeedMessage, an empty one, or one of an unknown version is refused with a
`GtfsInvalid` that says so; entities of trips the static timetable does not know (another
agency's) are counted by the caller, not refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from connectors.gtfs import GtfsInvalid

MAX_BYTES = 16 * 2**20
VERSIONS = ("1.0", "2.0")


@dataclass
class TripState:
    """The live state of one trip on one service day."""

    cancelled: bool = False
    delay: int | None = None  # the trip's own delay, when no stop names one
    # (stop_sequence or None, stop_id or "", delay seconds or None, skipped), in feed order
    stops: list[tuple[int | None, str, int | None, bool]] = field(default_factory=list)

    def at(self, sequence: int, stop_id: str) -> tuple[int | None, bool]:
        """(delay, cancelled) at a call: the delay of the nearest update at or before it
        (delays propagate downstream, GTFS-RT), a stop-level skip, or the trip's."""
        if self.cancelled:
            return None, True
        found, skipped = self.delay, False
        for seq, stop, delay, skip in self.stops:
            same = (seq is not None and seq == sequence) or (seq is None and stop == stop_id)
            before = seq is not None and seq < sequence
            if same:
                return (delay if delay is not None else found), skip
            if before and delay is not None:
                found = delay
        return found, skipped


@dataclass
class Realtime:
    timestamp: dt.datetime | None
    trips: dict[tuple[str, str], TripState]  # (trip_id, start_date YYYYMMDD or "")
    alerts: list[dict]
    entities: int
    # VehiclePositions: trip_id, route_id, start_date, lat, lon, bearing, label, timestamp
    vehicles: list[dict] = field(default_factory=list)

    def state(self, trip_id: str, day: dt.date) -> TripState | None:
        return self.trips.get((trip_id, day.strftime("%Y%m%d"))) or self.trips.get((trip_id, ""))


def parse(data: bytes) -> Realtime:
    from google.protobuf.message import DecodeError
    from google.transit import gtfs_realtime_pb2 as rt

    if len(data) > MAX_BYTES:
        raise GtfsInvalid(f"the GTFS-Realtime feed is larger than {MAX_BYTES // 2**20} MiB")
    message = rt.FeedMessage()
    try:
        message.ParseFromString(data)
    except DecodeError:
        raise GtfsInvalid("this is not a GTFS-Realtime FeedMessage (protobuf)") from None
    if not message.HasField("header"):
        raise GtfsInvalid("the GTFS-Realtime feed has no header: empty or not a FeedMessage")
    if message.header.gtfs_realtime_version not in VERSIONS:
        raise GtfsInvalid(
            f"GTFS-Realtime version {message.header.gtfs_realtime_version[:10]!r} is not "
            f"{' or '.join(VERSIONS)}"
        )
    stamp = message.header.timestamp
    timestamp = dt.datetime.fromtimestamp(stamp, dt.UTC) if stamp else None
    trips: dict[tuple[str, str], TripState] = {}
    alerts = []
    vehicles: list[dict] = []
    canceled = rt.TripDescriptor.ScheduleRelationship.Value("CANCELED")
    skipped = rt.TripUpdate.StopTimeUpdate.ScheduleRelationship.Value("SKIPPED")
    for entity in message.entity:
        if entity.HasField("trip_update"):
            update = entity.trip_update
            trip = update.trip
            if not trip.trip_id:
                continue  # added trips without an id of the static feed: not on a board yet
            state = TripState(
                cancelled=trip.schedule_relationship == canceled,
                delay=update.delay if update.HasField("delay") else None,
            )
            for stop in update.stop_time_update:
                event = stop.departure if stop.HasField("departure") else stop.arrival
                delay = event.delay if event.HasField("delay") else None
                state.stops.append(
                    (
                        stop.stop_sequence if stop.HasField("stop_sequence") else None,
                        stop.stop_id,
                        delay,
                        stop.schedule_relationship == skipped,
                    )
                )
            trips[(trip.trip_id, trip.start_date)] = state
        if entity.HasField("alert"):
            alert = entity.alert
            alerts.append(
                {
                    "header": _text(alert.header_text),
                    "description": _text(alert.description_text),
                    "stops": sorted({i.stop_id for i in alert.informed_entity if i.stop_id}),
                    "routes": sorted({i.route_id for i in alert.informed_entity if i.route_id}),
                }
            )
        if entity.HasField("vehicle") and entity.vehicle.HasField("position"):
            vehicle = entity.vehicle
            where = vehicle.position
            if -90 <= where.latitude <= 90 and -180 <= where.longitude <= 180:
                vehicles.append(
                    {
                        "trip_id": vehicle.trip.trip_id,
                        "route_id": vehicle.trip.route_id,
                        "start_date": vehicle.trip.start_date,
                        "lat": round(where.latitude, 6),
                        "lon": round(where.longitude, 6),
                        "bearing": where.bearing if where.HasField("bearing") else None,
                        "label": vehicle.vehicle.label[:50],
                        "timestamp": vehicle.timestamp or None,
                    }
                )
    return Realtime(timestamp, trips, alerts, len(message.entity), vehicles)


def _text(translated) -> str:
    """The German translation of a TranslatedString, else the first."""
    texts = list(translated.translation)
    for item in texts:
        if item.language.lower().startswith("de"):
            return item.text[:1000]
    return texts[0].text[:1000] if texts else ""
