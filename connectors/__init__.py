# SPDX-License-Identifier: EUPL-1.2
"""Adapters to the outside (MQTT, LoRaWAN, GTFS, GBFS, charging register, OGC, CKAN harvest)."""
