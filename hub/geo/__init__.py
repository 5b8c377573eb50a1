# SPDX-License-Identifier: EUPL-1.2
"""The geo bridge: the hub's public layers as OGC services (WMS, WFS, OGC API Features).

Apps register layers (hub.core.registry.OgcLayer): a view in the `ogc` schema with public columns
only. A publisher makes them services per tenant: MapServer in the local stack (mapfiles and a
CGI gateway, hub.geo.mapserver), GeoServer in production (its REST API, hub.geo.geoserver).
`hub tenants apply` reconciles them like the other targets (tenants/reconcile/ogc.py).
"""
