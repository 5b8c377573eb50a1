# SPDX-License-Identifier: EUPL-1.2
"""Every endpoint the registry mounts, with who may use it, for the isolation matrix and the
error walk. Nothing here is a hand list: URL modules and API routers come from the registry,
their access from the views' declarations (hub.core.access) and the routes' authentication."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.urls import URLPattern, URLResolver, reverse

from hub.accounts.auth import BearerAuth
from hub.api import api
from hub.core import access
from hub.core.access import Access, access_of
from hub.core.registry import API, Sample, registry
from hub.tenancy.permissions import TenantRoles

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Endpoint:
    surface: str
    name: str  # namespace:url_name, or "api <method> <path>"
    route: str
    params: tuple[str, ...]
    methods: tuple[str, ...]
    access: Access
    sample: str  # "module:function" of the app's sample maker, or ""
    roles: frozenset[str] = frozenset()  # API: the roles TenantRoles admits
    url_name: str = ""  # for reverse(); empty: `route` with {params} filled in

    def url(self, values: Mapping[str, Any], method: str = "GET") -> str:
        """The URL with the sample's values; a value under "param@METHOD" wins for that
        method (a POST to a collection, a GET of one entity)."""
        values = {
            **values,
            **{k.split("@")[0]: v for k, v in values.items() if k.endswith(f"@{method}")},
        }
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"{self.name}: no sample value for {', '.join(missing)}")
        if self.url_name:
            return reverse(self.url_name, kwargs={p: values[p] for p in self.params})
        return PARAM.sub(lambda m: str(values[m.group(1)]), self.route)

    def rule(self, method: str) -> str | None:
        return self.access.rule_for(method)

    def __str__(self) -> str:
        return self.name


def _patterns(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _page_endpoints() -> list[Endpoint]:
    found = []
    for entry in registry.urls:
        module = import_module(entry.module)
        for route, pattern in _patterns(module.urlpatterns, entry.prefix):
            declared = access_of(pattern.callback)
            methods = []
            if declared is not None:  # every method it admits, HEAD aside (GET answers it)
                methods = [m for m in declared.methods if m != "HEAD"]
            found.append(
                Endpoint(
                    surface=entry.surface,
                    name=f"{entry.namespace}:{pattern.name}",
                    route="/" + route,
                    params=tuple(pattern.pattern.regex.groupindex),
                    methods=tuple(methods),
                    access=declared or Access(None, None),
                    sample=entry.sample,
                    url_name=f"{entry.namespace}:{pattern.name}",
                )
            )
    return found


def _api_access(operation) -> tuple[Access, frozenset[str]]:
    checks = list(operation.auth_callbacks or [])
    roles = next((c.roles for c in checks if isinstance(c, TenantRoles)), None)
    if roles is not None:
        rule = access.roles("api")
    elif any(isinstance(c, BearerAuth) for c in checks):
        rule = access.SIGNED_IN
    else:
        rule = access.PUBLIC
    return Access(rule, rule), frozenset(roles or ())


def _api_endpoints() -> list[Endpoint]:
    samples = {id(r.router): r.sample for r in registry.api_routers}
    found = []
    for prefix, router in api._routers:
        sample = samples.get(id(router), "")
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                declared, roles = _api_access(operation)
                for method in operation.methods:
                    route = f"/api/v1{prefix}{path}".replace("//", "/")
                    found.append(
                        Endpoint(
                            surface=API,
                            name=f"api {method} {route}",
                            route=route,
                            params=tuple(PARAM.findall(route)),
                            methods=(method,),
                            access=declared,
                            sample=sample,
                            roles=roles,
                        )
                    )
    return found


def registered() -> list[Endpoint]:
    return _page_endpoints() + _api_endpoints()


def make_samples(tenant) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each registered sample maker run once for the tenant: (kwargs per maker, markers)."""
    makers = {e.sample for e in registered() if e.sample}
    values: dict[str, dict[str, Any]] = {}
    markers = []
    for path in sorted(makers):
        module, _, function = path.partition(":")
        made: Sample = getattr(import_module(module), function)(tenant)
        values[path] = {"slug": tenant.slug, **made.kwargs}
        if made.marker:
            markers.append(made.marker)
    return values, markers
