# SPDX-License-Identifier: EUPL-1.2
"""The connector contract: errors map once to HTTP and ingest; unknown names fail loudly."""

import pytest

from connectors.base import (
    AuthenticationFailed,
    ConnectorError,
    PayloadInvalid,
    SourceUnavailable,
    UnknownConnector,
    load,
)


@pytest.mark.parametrize(
    ("error", "status", "disposition"),
    [
        (SourceUnavailable, 503, "retry"),
        (AuthenticationFailed, 401, "dead-letter"),
        (PayloadInvalid, 422, "dead-letter"),
        (ConnectorError, 502, "retry"),
    ],
)
def test_each_error_maps_to_one_status_and_disposition(error, status, disposition):
    assert issubclass(error, ConnectorError)
    assert (error.http_status, error.disposition) == (status, disposition)


def test_unknown_connector_names_the_known_ones():
    with pytest.raises(UnknownConnector, match=r"unknown connector 'nope' \(known: "):
        load("nope")
