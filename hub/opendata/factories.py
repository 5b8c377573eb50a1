# SPDX-License-Identifier: EUPL-1.2
"""Samples of the shared open data for the isolation matrix (all of it is public)."""

from __future__ import annotations

from hub.core.registry import Sample


def isolation_sample(tenant) -> Sample:
    return Sample(kwargs={"identifier": "haltestellen", "fmt": "geojson"})
