# SPDX-License-Identifier: EUPL-1.2
"""The hub's own HTTP API (/api/v1/), described by OpenAPI 3 at /api/v1/openapi.json."""

from ninja import NinjaAPI

from hub.registry import registry

api = NinjaAPI(
    title="Regional Data Hub API",
    version="1",
    description="Tenants, participation, mobility and sensors of the region around Haldensleben.",
    urls_namespace="api",
)
for prefix, router in registry.api_routers:
    api.add_router(prefix, router)
for error, handler in registry.api_errors:
    api.add_exception_handler(error, handler)
