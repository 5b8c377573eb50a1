# SPDX-License-Identifier: EUPL-1.2
"""The tenant context: which tenants' rows the current unit of work may see.

It has two walls. The first is in Python: the scoped managers of tenant-owned models filter by the
context held here. The second is in PostgreSQL: the same context is copied into session settings
(`hub.tenant_ids`, `hub.user_id`, `hub.system`) that the row-level security policies read, so a
query that forgets its filter still sees nothing it should not. Without a context, no tenant rows.

The context is only ever set inside a `with` block; there is no global "current tenant" to leak.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections
from django.db.backends.signals import connection_created
from psycopg.pq import TransactionStatus


@dataclass(frozen=True)
class Scope:
    tenant_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    system: bool = False

    def allows(self, tenant_id: int) -> bool:
        return self.system or tenant_id in self.tenant_ids


NO_SCOPE = Scope()
_scope: ContextVar[Scope] = ContextVar("hub_tenant_scope", default=NO_SCOPE)


def current_scope() -> Scope:
    return _scope.get()


def _apply(scope: Scope, using: str) -> None:
    ids = "{" + ",".join(str(i) for i in sorted(scope.tenant_ids)) + "}"
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hub.tenant_ids', %s, false), set_config('hub.user_id', %s, false),"
            " set_config('hub.system', %s, false)",
            [
                ids,
                "" if scope.user_id is None else str(scope.user_id),
                "on" if scope.system else "",
            ],
        )


@contextmanager
def _enter(scope: Scope, using: str) -> Iterator[Scope]:
    token = _scope.set(scope)
    _apply(scope, using)
    try:
        yield scope
    finally:
        _scope.reset(token)
        connection = connections[using]
        # In a transaction that is being rolled back PostgreSQL undoes the set_config itself.
        # Django marks that only later than an error inside the block: ask the driver too, or
        # the set_config fails and hides the error that aborted the transaction.
        if (
            connection.connection is not None
            and not connection.needs_rollback
            and connection.connection.info.transaction_status != TransactionStatus.INERROR
        ):
            _apply(_scope.get(), using)


def scope_context(scope: Scope, using: str = "default"):
    """Run the block in a given scope (as computed by selectors.scope_for_user)."""
    return _enter(scope, using)


def tenant_context(
    tenant_ids: Iterable[int], *, user_id: int | None = None, using: str = "default"
):
    """Run the block with the rows of exactly these tenants visible (and the user's own rows)."""
    return _enter(Scope(frozenset(tenant_ids), user_id), using)


def system_context(using: str = "default"):
    """Run the block with every tenant visible: reconcile, migrations of data, region superusers."""
    return _enter(Scope(system=True), using)


def _reapply_on_new_connection(sender, connection, **kwargs) -> None:
    # A connection opened inside a context (after a reconnect) must carry that context, or it
    # would fail closed and show nothing; outside any context it starts empty anyway.
    scope = _scope.get()
    if scope != NO_SCOPE:
        _apply(scope, connection.alias)


connection_created.connect(_reapply_on_new_connection)
