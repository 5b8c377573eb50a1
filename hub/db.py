# SPDX-License-Identifier: EUPL-1.2
"""Connection pooling for PostgreSQL, safe for the tenant context kept in session settings."""

from __future__ import annotations


def reset_connection(connection) -> None:
    """Called by the pool when a connection comes back: forget every session setting.

    The tenant context (hub.tenant_ids, hub.user_id, hub.system) lives in session settings, so
    a pooled connection must never carry one request's context into the next, whatever path the
    request took out (ADR 0002).
    """
    connection.execute("RESET ALL")
