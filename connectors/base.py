# SPDX-License-Identifier: EUPL-1.2
"""The contract of a connector and its error family.

Connectors are discovered through the entry-point group `hub.connectors` (like ckanext-dcat's
`ckan.rdf.profiles`): each installed distribution names its connector classes there. Asking for
an unknown name fails at start-up with the list of known ones. Every failure a connector reports
is one of the errors below, mapped once to an HTTP status (hub.core.errors.from_connector turns
it into the hub's error family) and to what ingest does with the message (`disposition`).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import ClassVar, Protocol

ENTRY_POINT_GROUP = "hub.connectors"


class ConnectorError(Exception):
    """Base of every connector failure."""

    http_status: ClassVar[int] = 502
    code: ClassVar[str] = "connector_error"
    # What ingest does with the message that caused it: "retry" later or "dead-letter" it.
    disposition: ClassVar[str] = "retry"


class SourceUnavailable(ConnectorError):
    """The outside system did not answer or answered with a server error; try again later."""

    http_status = 503
    code = "source_unavailable"


class AuthenticationFailed(ConnectorError):
    """The outside system refused our credentials, or a caller's credentials were wrong."""

    http_status = 401
    code = "authentication_failed"
    disposition = "dead-letter"


class PayloadInvalid(ConnectorError):
    """A message or file cannot be mapped: malformed, wrong types, missing fields, too large."""

    http_status = 422
    code = "payload_invalid"
    disposition = "dead-letter"


class PayloadTooLarge(PayloadInvalid):
    """A message or file larger than the source's limit; nothing of it was read."""

    http_status = 413
    code = "payload_too_large"


class UnknownConnector(LookupError):
    pass


class Connector(Protocol):
    """A source the hub reads from or a sink it writes to.

    `kind` groups connectors that do the same job for different systems ("lorawan": network
    servers that push uplinks; later "gtfs-rt", "ocpi", "gbfs", ...).
    """

    name: str
    kind: str

    def check(self) -> str:
        """Probe the outside system (or, for a source that pushes, say what it accepts);
        return a short status or raise a ConnectorError."""


def available() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load(name: str, kind: str = "") -> type[Connector]:
    """The connector class registered as `name` (of `kind`, if given); UnknownConnector lists
    the known names."""
    known = of_kind(kind) if kind else {n: ep.load() for n, ep in available().items()}
    if name not in known:
        listing = ", ".join(sorted(known)) or "none installed"
        what = f"{kind} connector" if kind else "connector"
        raise UnknownConnector(f"unknown {what} {name!r} (known: {listing})")
    return known[name]


def of_kind(kind: str) -> dict[str, type[Connector]]:
    """Every installed connector of one kind, by name."""
    found = {}
    for name, entry in available().items():
        connector = entry.load()
        if getattr(connector, "kind", "") == kind:
            found[name] = connector
    return found
