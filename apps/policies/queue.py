"""Handing work to the Celery workers after the caller's transaction commits.

Services queue tasks *by name* so that ``services`` never imports ``tasks`` (which imports
the services): no import cycle, and a test checks every name here is a registered task.
Callbacks are named functions run by ``on_commit(robust=True)``: a broker outage after
commit is logged, never raised, and the periodic sweep picks the work up later.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailableError

MATCH_POLICY = "apps.policies.tasks.match_policy"
REMATCH_IMPORT = "apps.policies.tasks.rematch_import"
SEND_PUSHES = "apps.policies.tasks.send_policy_pushes"
TASK_NAMES = (MATCH_POLICY, REMATCH_IMPORT, SEND_PUSHES)


logger = logging.getLogger(__name__)


def _send(name: str, *args: int) -> None:
    try:
        current_app.send_task(name, args=list(args))
    except BrokerUnavailableError as exc:
        # Nothing is lost: the work has a durable mark (a policy not yet matched, an import
        # not yet rematched, a push still queued) that the periodic sweeps pick up.
        logger.warning("Broker unavailable, %s%r left for the sweep: %s", name, args, exc)


def queue_policy_matching(policy_id: int) -> None:
    """Match the policy against every profile, then push (DOMAIN PO3)."""

    def queue_match_policy() -> None:
        _send(MATCH_POLICY, policy_id)

    transaction.on_commit(queue_match_policy, robust=True)


def queue_import_rematch(import_id: int) -> None:
    """Match the profiles an import changed against every active policy (PO3)."""

    def queue_rematch_import() -> None:
        _send(REMATCH_IMPORT, import_id)

    transaction.on_commit(queue_rematch_import, robust=True)


def queue_push_sending(policy_id: int) -> None:
    def queue_send_policy_pushes() -> None:
        _send(SEND_PUSHES, policy_id)

    transaction.on_commit(queue_send_policy_pushes, robust=True)


def send_pushes_now(policy_id: int) -> None:
    """For callers already running after a commit (a registration's on_commit hook)."""
    _send(SEND_PUSHES, policy_id)
