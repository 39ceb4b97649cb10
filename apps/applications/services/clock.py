"""The clock of an accepted application (DOMAIN A7, A7a, A8, A15).

``due_date`` is the last working day by which the decision is due, counted from acceptance
in working days of the official calendar, paused while special procedures run (A8) and
lengthened by an approved extension (A7). ``yellow_on`` is the first day on which at most
``APPLICATION_YELLOW_RATIO`` of the limit remains: it is stored with the due date so the
supervision task selects yellow applications by an indexed range instead of computing
every open application's remaining days.

Every deadline is counted on the calendar as loaded now. When a window runs through a year
whose holiday arrangement is not published yet, the case is marked
(``calendar_provisional``, shown as 按暂定日历计算); when the calendar changes, the
recompute in :mod:`.calendar_sync` calls :func:`clock_fields` again for the cases whose
window reaches the changed days.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.applications.models import Application, Suspension, WarningLevel
from apps.applications.workflow import ACCEPTED_OPEN_STATES, State
from apps.catalogue.models import ServiceGuide
from apps.workdays.calendar import (
    add_working_days,
    deadline_for,
    local_date,
    uses_provisional_calendar,
)


def time_limit_for(guide: ServiceGuide) -> int:
    """The promised limit of the guide, or the statutory default (A7a); 0 for an immediate
    item (A6), which is due the day it is accepted."""
    if guide.is_immediate:
        return 0
    return guide.promised_time_limit_days or settings.APPLICATION_DEFAULT_TIME_LIMIT_DAYS


def intake_days() -> int:
    """A4a (行政许可法 §32): working days to decide on intake after receiving materials."""
    return settings.APPLICATION_INTAKE_DAYS


def periods_from_rows(rows: list[tuple[date, date | None, int]]) -> list[tuple[date, date]]:
    """``(started_on, ended_on, limit_days)`` rows → pause periods: closed ones as they
    ran, an open one with the end its procedure's limit implies."""
    return [
        (started_on, ended_on or add_working_days(started_on, limit))
        for started_on, ended_on, limit in rows
    ]


def suspension_periods(application: Application) -> list[tuple[date, date]]:
    """The pause periods of one application (A8)."""
    return periods_from_rows(
        list(
            Suspension.objects.filter(application=application).values_list(
                "started_on", "ended_on", "limit_days"
            )
        )
    )


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


def _decision_clock(
    application: Application,
    accepted_at: datetime,
    suspensions: list[tuple[date, date]] | None,
) -> dict[str, Any]:
    """``due_date``, ``yellow_on`` and the provisional mark of an accepted case."""
    if suspensions is None:
        suspensions = suspension_periods(application)
    due, yellow_on = clock_dates(
        accepted_at=accepted_at,
        time_limit_days=(
            time_limit_for(application.guide)
            if application.time_limit_days is None
            else application.time_limit_days
        ),
        extension_days=application.extension_days,
        suspensions=suspensions,
    )
    return {
        "due_date": due,
        "yellow_on": yellow_on,
        "calendar_provisional": uses_provisional_calendar(local_date(accepted_at), due),
    }


def _intake_clock(received_at: datetime) -> dict[str, Any]:
    received = local_date(received_at)
    intake_due = add_working_days(received, intake_days())
    return {
        "intake_due_date": intake_due,
        "calendar_provisional": uses_provisional_calendar(received, intake_due),
    }


def clock_fields(
    application: Application, *, suspensions: list[tuple[date, date]] | None = None
) -> dict[str, Any]:
    """The clock fields of ``application`` in its current state, on the calendar as loaded
    now: ``intake_due_date`` while it waits for the intake decision (A4a); ``due_date`` and
    ``yellow_on`` once accepted and undecided (A7, A8, A15); with either, whether the window
    runs through a year not yet published (``calendar_provisional``). Empty for a case
    without a running deadline. Pure apart from reading the suspensions when not given.
    """
    if application.state == State.SUBMITTED and application.materials_received_at:
        return _intake_clock(application.materials_received_at)
    if application.state in ACCEPTED_OPEN_STATES and application.accepted_at:
        return _decision_clock(application, application.accepted_at, suspensions)
    return {}


def start_intake_clock(application: Application, *, received_at: datetime) -> None:
    """Materials received: the intake period starts (A4a; the caller saves)."""
    application.materials_received_at = received_at
    for field, value in _intake_clock(received_at).items():
        setattr(application, field, value)


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
    for field, value in _decision_clock(application, application.accepted_at, suspensions).items():
        setattr(application, field, value)
    application.warning_level = WarningLevel.GREEN


def close_open_suspension(application: Application, *, actor) -> Suspension | None:
    """End a running special procedure today (on resumption, or when the case ends)."""
    suspension = Suspension.objects.filter(application=application, ended_on=None).first()
    if suspension is not None:
        suspension.ended_on = timezone.localdate()
        suspension.ended_by = actor
        suspension.save(update_fields=["ended_on", "ended_by", "updated_at"])
    return suspension
