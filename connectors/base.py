# SPDX-License-Identifier: EUPL-1.2
"""The contract of a connector and its error family.

Connectors are discovered through the entry-point group `hub.connectors` (like ckanext-dcat's
`ckan.rdf.profiles`): each installed distribution names its connector classes there. Asking for
an unknown name fails at start-up with the list of known ones. Every failure a connector reports
is one of the errors below, mapped once to an HTTP status and to what ingest does with it.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import ClassVar, Protocol

ENTRY_POINT_GROUP = "hub.connectors"


class ConnectorError(Exception):
    """Base of every connector failure."""

    http_status: ClassVar[int] = 502
    # What ingest does with the message that caused it: "retry" later or "dead-letter" it.
    disposition: ClassVar[str] = "retry"


class SourceUnavailable(ConnectorError):
    """The outside system did not answer or answered with a server error; try again later."""

    http_status = 503


class AuthenticationFailed(ConnectorError):
    """The outside system refused our credentials, or a caller's credentials were wrong."""

    http_status = 401
    disposition = "dead-letter"


class PayloadInvalid(ConnectorError):
    """A message or file cannot be mapped: malformed, wrong types, missing fields, too large."""

    http_status = 422
    disposition = "dead-letter"


class UnknownConnector(LookupError):
    pass


class Connector(Protocol):
    """A source the hub reads from or a sink it writes to."""

    name: str

    def check(self) -> str:
        """Probe the outside system; return a short status or raise a ConnectorError."""


def available() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load(name: str) -> type[Connector]:
    """The connector class registered as `name`; UnknownConnector lists the known names."""
    known = available()
    if name not in known:
        listing = ", ".join(sorted(known)) or "none installed"
        raise UnknownConnector(f"unknown connector {name!r} (known: {listing})")
    return known[name].load()
