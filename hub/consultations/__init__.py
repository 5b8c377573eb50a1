# SPDX-License-Identifier: EUPL-1.2
"""Consultations ("Bürgerbeteiligung"): a tenant asks about an area; citizens propose on the map
or at a place, comment and support proposals (one vote per account); staff moderate and publish
a result. Every step has a path without the map (lists, places, a printable summary)."""
