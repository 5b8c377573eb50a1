# SPDX-License-Identifier: EUPL-1.2
"""Journey planning: places (stop, address, map point), the engine interface, and the
embedded engine (RAPTOR over the live timetables, hub.mobility.journeys.raptor)."""
