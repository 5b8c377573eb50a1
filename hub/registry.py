# SPDX-License-Identifier: EUPL-1.2
"""What the apps offer, registered by each app's AppConfig.ready(); the core only iterates it.

Later contexts (participation, sensors, ...) add their API routers, public datasets and OGC
layers here, and the catalogue and geo bridges walk these lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ninja import Router


@dataclass
class Registry:
    api_routers: list[tuple[str, Router]] = field(default_factory=list)
    api_errors: list[tuple[type[Exception], Callable]] = field(default_factory=list)

    def add_api(self, prefix: str, router: Router) -> None:
        if any(existing is router for _, existing in self.api_routers):
            raise ValueError(f"the API router for {prefix!r} is registered twice")
        self.api_routers.append((prefix, router))

    def add_api_error(self, error: type[Exception], handler: Callable) -> None:
        """Map an app's exception to an HTTP answer, once for the whole API."""
        self.api_errors.append((error, handler))


registry = Registry()
