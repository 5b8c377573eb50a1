# SPDX-License-Identifier: EUPL-1.2
"""What every page's shell needs: the header navigation (the region's services)."""

from __future__ import annotations

from hub.portal import services


def portal(request) -> dict:
    return {"nav_services": services.region_services()}
