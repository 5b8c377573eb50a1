# SPDX-License-Identifier: EUPL-1.2
"""Sensors: the OGC SensorThings model per tenant, and the ingest of observations.

Things, locations, sensors, observed properties, datastreams and features of interest are
Django models behind row-level security. Observations live in a time-partitioned table
written in batches with COPY by one consumer process (`hub ingest`, hub.sensors.ingest); the
latest value of each datastream is kept per batch. Payloads that cannot be mapped are kept in
the dead-letter table with the reason.
"""
