"""Handing work to Celery after a transaction commits, without ever failing the commit.

A committed state change is the answer the person gets. If the broker is unreachable at
that moment, the publish error is logged and swallowed: the work is not lost, because every
task queued this way has a durable row (an outbox) that a periodic sweep re-queues.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailableError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: int | str) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one).

    Pass ids, never model instances. The hook is a named function, not a
    ``functools.partial``: Django's robust hook names the callable when it logs a failure,
    and a partial has no name, so the logging itself raised and turned a committed change
    into a 500.
    """
    transaction.on_commit(_publisher(task, args), robust=True)


def _publisher(task: Any, args: tuple[int | str, ...]) -> Callable[[], None]:
    def publish_after_commit() -> None:
        try:
            task.delay(*args)
        except BrokerUnavailableError as exc:
            # The row behind this task stays as it is; the outbox sweep sends it later.
            logger.warning("Broker unavailable, %s%r left for the sweep: %s", task.name, args, exc)

    publish_after_commit.__qualname__ = f"publish_after_commit[{task.name}]"
    return publish_after_commit
