# SPDX-License-Identifier: EUPL-1.2
"""Samples of tenancy for the isolation matrix: a role to hand out and take away."""

from __future__ import annotations

from hub.core.registry import Sample


def isolation_sample(tenant) -> Sample:
    """The members API's parameters: someone who would get or lose a role on the tenant."""
    return Sample(kwargs={"username": "neue.kollegin", "role": "editor"})
