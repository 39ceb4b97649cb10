"""The clock of an accepted application (DOMAIN A7, A7a, A8, A15).

``due_date`` is the last working day by which the decision is due, counted from acceptance
in working days of the official calendar, paused while special procedures run (A8) and
lengthened by an approved extension (A7). ``yellow_on`` is the first day on which at most
``APPLICATION_YELLOW_RATIO`` of the limit remains: it is stored with the due date so the
supervision task selects yellow applications by an indexed range instead of computing
every open application's remaining days.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from apps.applications.models import Application, Suspension, WarningLevel
from apps.catalogue.models import ServiceGuide
from apps.workdays.calendar import add_working_days, deadline_for


def time_limit_for(guide: ServiceGuide) -> int:
    """The promised limit of the guide, or the statutory default (A7a); 0 for an immediate
    item (A6), which is due the day it is accepted."""
    if guide.is_immediate:
        return 0
    return guide.promised_time_limit_days or settings.APPLICATION_DEFAULT_TIME_LIMIT_DAYS


def suspension_periods(application: Application) -> list[tuple[date, date]]:
    """Closed periods as they ran; an open one with the end its procedure's limit implies."""
    periods = []
    for started_on, ended_on, limit in Suspension.objects.filter(
        application=application
    ).values_list("started_on", "ended_on", "limit_days"):
        periods.append((started_on, ended_on or add_working_days(started_on, limit)))
    return periods


def clock_dates(
    *,
    accepted_at: datetime | date,
    time_limit_days: int,
    extension_days: int = 0,
    suspensions: list[tuple[date, date]] | tuple = (),
) -> tuple[date, date]:
    """``(due_date, yellow_on)`` for the given clock (pure: the calendar only)."""
    total = time_limit_days + extension_days
    due = deadline_for(
        accepted_at=accepted_at,
        working_days=time_limit_days,
        suspensions=suspensions,
        extension_days=extension_days,
    )
    ratio = settings.APPLICATION_YELLOW_RATIO
    # Yellow once the remaining working days are <= ratio x limit.
    warn_days = math.floor(total * ratio + 1e-9)
    yellow_on = deadline_for(
        accepted_at=accepted_at, working_days=total - warn_days, suspensions=suspensions
    )
    return due, yellow_on


def start_clock(application: Application, *, accepted_at: datetime) -> None:
    """Set acceptance and the clock on ``application`` (the caller saves)."""
    application.accepted_at = accepted_at
    application.time_limit_days = time_limit_for(application.guide)
    application.intake_due_date = None
    refresh_clock(application, suspensions=[])


def refresh_clock(
    application: Application, *, suspensions: list[tuple[date, date]] | None = None
) -> None:
    """Recompute due date and warning date after a suspension, resumption or extension.

    The warning level goes back to green: the supervision task sets it again on its next
    run, and its marks keep a reminder that was already sent from being sent twice.
    """
    if application.accepted_at is None:
        return
    if suspensions is None:
        suspensions = suspension_periods(application)
    application.due_date, application.yellow_on = clock_dates(
        accepted_at=application.accepted_at,
        time_limit_days=(
            time_limit_for(application.guide)
            if application.time_limit_days is None
            else application.time_limit_days
        ),
        extension_days=application.extension_days,
        suspensions=suspensions,
    )
    application.warning_level = WarningLevel.GREEN


def close_open_suspension(application: Application, *, actor) -> Suspension | None:
    """End a running special procedure today (on resumption, or when the case ends)."""
    suspension = Suspension.objects.filter(application=application, ended_on=None).first()
    if suspension is not None:
        suspension.ended_on = timezone.localdate()
        suspension.ended_by = actor
        suspension.save(update_fields=["ended_on", "ended_by", "updated_at"])
    return suspension
