# SPDX-License-Identifier: EUPL-1.2
"""Samples for the isolation matrix: the mobility centre's data is public (the timetable is
open data), so a sample needs only a stop, a line and a feed to aim at."""

from __future__ import annotations

from hub.core.registry import Sample


def isolation_sample(tenant) -> Sample:
    return Sample(
        kwargs={"stop": "de:15083:9999", "feed": "boerdebus", "route": "600", "route_id": "600"}
    )
