# SPDX-License-Identifier: EUPL-1.2
"""The hub's one client of CKAN's Action API (ckanapi), behind a small interface.

The catalogue bridge (publishing data sets) and the CKAN reconcile target (organizations) both
write through it. CKAN refusing the token or not answering is `CkanUnavailable` (a
`SourceUnavailable`: retried later); CKAN's own answers (NotFound, ValidationError) stay
ckanapi's, which callers handle where they mean something.
"""

from __future__ import annotations

from typing import Any, Protocol

from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound, ValidationError

from connectors.base import SourceUnavailable

USER_AGENT = "regional-data-hub"


class CkanUnavailable(SourceUnavailable):
    """CKAN did not answer, or refused the hub's token."""

    code = "ckan_unavailable"


class Catalogue(Protocol):
    """What the hub needs of a catalogue: call one of its actions."""

    def call(self, action: str, **params: Any) -> Any:
        """The action's result; NotFound and ValidationError as the catalogue answers them."""


class Ckan:
    def __init__(self, url: str, token: str = "", *, purpose: str = ""):
        self.url = url
        self.remote = RemoteCKAN(
            url,
            apikey=token or None,
            user_agent=f"{USER_AGENT}/{purpose}" if purpose else USER_AGENT,
        )

    def call(self, action: str, **params: Any) -> Any:
        try:
            return self.remote.call_action(action, params)
        except (NotFound, ValidationError):
            raise
        except (CKANAPIError, OSError) as exc:
            raise CkanUnavailable(f"CKAN at {self.url}: {exc}") from exc


def client(purpose: str = "") -> Ckan:
    """The hub's client of its CKAN (HUB_CKAN_URL, as the sysadmin "hub")."""
    from django.conf import settings

    return Ckan(settings.HUB_CKAN_URL, settings.HUB_CKAN_API_TOKEN, purpose=purpose)
