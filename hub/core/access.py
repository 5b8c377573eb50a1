# SPDX-License-Identifier: EUPL-1.2
"""Who may use an endpoint, declared on the view itself.

Every view the registry mounts carries an `Access`: a rule for reading (GET, HEAD) and one for
writing (POST, and PATCH or DELETE where the view declares them). The rules are checked where
they belong (tenant roles by `hub.tenancy.permissions`, secrets by the view); declaring them
here lets the isolation matrix walk every endpoint and aim the right callers at it. A view
without a declaration fails that test, so nothing is mounted without someone deciding who may
use it.

Rules:
- ``PUBLIC``: anyone; the answer holds only public data (open data, published reports).
- ``HOLDER``: whoever holds a secret: a token in the URL (`holder_param` names it) or a shared
  secret in a header (a network's webhook).
- ``SIGNED_IN``: a signed-in person, who sees and changes only their own things.
- ``roles(name)``: one of the roles of the registered role set on the tenant in the path (or a
  cascading role on a tenant above it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hub.core.errors import MethodNotAllowed

PUBLIC, HOLDER, SIGNED_IN = "public", "holder", "signed-in"
ROLES_PREFIX = "roles:"
V = TypeVar("V", bound=Callable[..., Any])


def roles(role_set: str) -> str:
    """The rule "a role of the registered set `role_set` on the tenant in the path"."""
    return f"{ROLES_PREFIX}{role_set}"


def role_set_of(rule: str | None) -> str | None:
    return rule[len(ROLES_PREFIX) :] if rule and rule.startswith(ROLES_PREFIX) else None


@dataclass(frozen=True)
class Access:
    read: str | None = PUBLIC
    write: str | None = None  # None: the view takes no writes
    # HOLDER: the URL parameter that is the secret; SIGNED_IN: the parameter naming the
    # person's own thing (an API client), which nobody else may reach.
    holder_param: str = ""
    # The methods that write: POST, unless the view also changes (PATCH) and deletes.
    write_methods: tuple[str, ...] = ("POST",)

    def rule_for(self, method: str) -> str | None:
        return self.read if method.upper() in ("GET", "HEAD") else self.write

    @property
    def methods(self) -> tuple[str, ...]:
        """The HTTP methods the declaration admits (reads GET and HEAD, writes POST or the
        declared `write_methods`)."""
        return (("GET", "HEAD") if self.read is not None else ()) + (
            self.write_methods if self.write is not None else ()
        )


def declare(
    read: str | None = PUBLIC,
    write: str | None = None,
    *,
    holder_param: str = "",
    write_methods: tuple[str, ...] = ("POST",),
):
    """Decorate a view with who may read and who may write through it (with POST, or the
    `write_methods` named).

    A method the declaration does not admit is refused with 405 before anything else (signing
    in, reading the body), in the error shape of the view's surface."""
    access = Access(read, write, holder_param, tuple(write_methods))
    allowed = ", ".join(access.methods)

    def mark(view: V) -> V:
        @functools.wraps(view)
        def admitted(request, *args, **kwargs):
            if request.method not in access.methods:
                raise MethodNotAllowed(
                    f"this address does not take {request.method}; it takes {allowed}",
                    headers={"Allow": allowed},
                )
            return view(request, *args, **kwargs)

        admitted.hub_access = access  # type: ignore[attr-defined]
        return admitted  # type: ignore[return-value]

    return mark


def access_of(view: Callable) -> Access | None:
    """The declaration of a view, looking through decorators that used functools.wraps."""
    seen = view
    while seen is not None:
        found = getattr(seen, "hub_access", None)
        if found is not None:
            return found
        seen = getattr(seen, "__wrapped__", None)
    return None


def public(view: V) -> V:
    """Shorthand: anyone may read; the view takes no writes."""
    return declare(PUBLIC)(view)


def keeps_access(wrapper: V, view: Callable) -> V:
    """Carry a view's declaration over to a wrapper that does not use functools.wraps."""
    functools.update_wrapper(wrapper, view)
    return wrapper
