"""Reads that may be served by a Postgres replica (issue 16).

The supervisors' dashboard, its reports and exports and the 电子监察 overview read much and
write nothing; on a city's volume they are the first reads worth moving off the primary.
Code that does only such reads runs inside :func:`replica_reads` (a context manager and a
decorator); while it is active, :class:`ReplicaRouter` sends every ORM read to the
``replica`` alias. Without ``REPLICA_DATABASE_URL`` there is no such alias and everything
stays on ``default``. Writes always go to ``default``; nothing is migrated on the replica
(it follows the primary by streaming replication).

A replica lags by a moment: use it only where figures a second old are as good (dashboards,
reports), never to read back what the same request just wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connections
from django.utils.connection import ConnectionDoesNotExist

REPLICA = "replica"

_active: ContextVar[bool] = ContextVar("replica_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    """A ``replica`` alias exists (from settings, or one a test put in place)."""
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


@contextmanager
def _reading() -> Iterator[None]:
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def replica_reads(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with its ORM reads on the replica (when one is configured)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _reading():
            return func(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads inside :func:`replica_reads` go to the replica."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _active.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
