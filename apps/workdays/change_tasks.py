"""Thin Celery tasks that hand calendar changes to their listeners (see ``changes``).

Kept apart from ``tasks.py`` so imports stay one-way: ``services`` sends these after
commit, while ``tasks.py`` imports ``services`` for the coverage check (and re-exports
these so the worker registers them under ``apps.workdays.tasks``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.workdays import changes

# Seconds of listener work per task run; the run then re-queues itself. Well inside the
# task's soft time limit, so a run always ends on its own and saves its progress.
TIME_BUDGET_SECONDS = 60.0


@shared_task(
    name="apps.workdays.tasks.dispatch_calendar_change",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
    soft_time_limit=150,
    time_limit=180,
)
def dispatch_calendar_change(change_id: int) -> str:
    """Recompute what follows the calendar for one committed change, a budget at a time.

    Idempotent: progress is saved per step, a finished change is a no-op, and a run that
    finds another one working on the change returns at once.
    """
    outcome = changes.calendar_change_dispatch(change_id=change_id, time_budget=TIME_BUDGET_SECONDS)
    if outcome is changes.Outcome.MORE:
        # If the broker is down now, the sweep sends it again (the lease was released).
        dispatch_calendar_change.delay(change_id)
    return outcome.value


@shared_task(name="apps.workdays.tasks.dispatch_pending_calendar_changes", acks_late=True)
def dispatch_pending_calendar_changes() -> int:
    """Every few minutes: re-send changes whose dispatch task was lost (broker down at
    commit, worker killed past its lease). Returns how many were sent."""
    pending = changes.pending_calendar_change_ids()
    for change_id in pending:
        dispatch_calendar_change.delay(change_id)
    return len(pending)
