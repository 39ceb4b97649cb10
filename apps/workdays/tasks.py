"""Periodic checks of the working-day calendar (schedule: settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from apps.workdays.change_tasks import (
    dispatch_calendar_change,
    dispatch_pending_calendar_changes,
)
from apps.workdays.services import calendar_coverage_check

__all__ = [
    "check_calendar_coverage",
    "dispatch_calendar_change",
    "dispatch_pending_calendar_changes",
]


@shared_task(name="apps.workdays.tasks.check_calendar_coverage")
def check_calendar_coverage() -> int | None:
    """Daily: warn and notify system admins when next year's calendar is missing.

    Idempotent: notices carry a per-year, per-admin dedupe key. Returns the missing year.
    """
    return calendar_coverage_check()
