"""Calendar changes that stored deadlines must follow (DOMAIN A7, A15; issue 7).

Every calendar service records, in the transaction of its write, what the write changed
for a deadline: the days that turned from working day to rest day or back, and the years
that became published or stopped being so (:func:`calendar_change_record`). A change that
alters nothing (a renamed holiday, a note) records nothing. The row is an outbox: after
commit a task hands it to the listeners of :mod:`apps.workdays.hooks`
(:func:`calendar_change_dispatch`), which recompute the deadlines their app stores, and a
periodic sweep re-sends a change whose task was lost. The sending itself lives in
``services`` (which imports the tasks); the tasks import this module.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils import timezone

from apps.workdays.hooks import CalendarChanged, calendar_changed_listeners
from apps.workdays.models import CalendarChange, CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

# A dispatch run holds its change this long at most: longer than the task's hard time limit,
# so a change whose worker died is picked up again by the sweep after the lease ends.
LEASE = datetime.timedelta(minutes=5)


# --- Recording --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarState:
    """What a deadline depends on: the stored exception days and the published years."""

    overrides: dict[datetime.date, bool]
    published: frozenset[int]

    def is_workday(self, day: datetime.date) -> bool:
        flag = self.overrides.get(day)
        return day.weekday() < 5 if flag is None else flag


def calendar_state() -> CalendarState:
    """The stored calendar as the current transaction sees it (two small queries)."""
    return CalendarState(
        overrides=dict(CalendarDay.objects.values_list("date", "is_workday")),
        published=frozenset(
            CalendarYear.objects.filter(status=CalendarYear.Status.PUBLISHED).values_list(
                "year", flat=True
            )
        ),
    )


Span = tuple[datetime.date, datetime.date]


def changed_spans(before: CalendarState, after: CalendarState) -> list[Span]:
    """Sorted, disjoint, inclusive date ranges over which a deadline may differ."""
    days = sorted(
        day
        for day in before.overrides.keys() | after.overrides.keys()
        if before.is_workday(day) != after.is_workday(day)
    )
    spans: list[Span] = [(day, day) for day in days]
    for year in before.published ^ after.published:
        spans.append((datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    spans.sort()
    merged: list[Span] = []
    one_day = datetime.timedelta(days=1)
    for first, last in spans:
        if merged and first <= merged[-1][1] + one_day:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def calendar_change_record(
    *, before: CalendarState, summary: str, actor: Any = None
) -> CalendarChange | None:
    """Inside the writing transaction, after the writes: record what changed, if anything.

    Returns the new row, or None when no deadline can differ. The caller sends it after
    commit (``services``).
    """
    spans = changed_spans(before, calendar_state())
    if not spans:
        return None
    return CalendarChange.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary[: CalendarChange._meta.get_field("summary").max_length],
        spans=[[first.isoformat(), last.isoformat()] for first, last in spans],
        first_date=spans[0][0],
        last_date=spans[-1][1],
    )


def as_event(change: CalendarChange) -> CalendarChanged:
    return CalendarChanged(
        change_id=change.pk,
        spans=tuple(
            (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
            for first, last in change.spans
        ),
    )


# --- Dispatching ------------------------------------------------------------------------


class Outcome(StrEnum):
    DONE = "done"  # every listener finished (now or earlier)
    MORE = "more"  # time budget spent: send the task again
    BUSY = "busy"  # another run holds the lease, or the change does not exist


def _claim(change_id: int, now: datetime.datetime) -> bool:
    """Take the lease on a pending change (one UPDATE: no row lock held while working)."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        CalendarChange.objects.filter(free, pk=change_id, dispatched_at__isnull=True).update(
            claimed_until=now + LEASE
        )
    )


def _save_progress(change: CalendarChange, name: str, step_cursor: str | None, changed: int):
    entry = change.progress.get(name, {"cursor": None, "done": False, "changed": 0})
    entry = {
        "cursor": step_cursor,
        "done": step_cursor is None,
        "changed": int(entry.get("changed", 0)) + changed,
    }
    change.progress = {**change.progress, name: entry}
    CalendarChange.objects.filter(pk=change.pk).update(progress=change.progress)


def calendar_change_dispatch(*, change_id: int, time_budget: float | None = None) -> Outcome:
    """Hand a committed change to every calendar-changed listener (``hooks``).

    Resumes each listener from its saved cursor and saves the cursor after every step, so
    a second run (a retry, a redelivered task, the sweep) continues instead of starting
    over, and a finished change is a no-op. ``time_budget`` (seconds) stops after the step
    that spends it and returns ``Outcome.MORE``; None runs to the end. Called outside a
    transaction, each step commits on its own (listeners open one per step). Runs of the
    same change never overlap: a lease (``claimed_until``) taken by one UPDATE, so no row
    lock is held while the listeners work.
    """
    if not _claim(change_id, timezone.now()):
        done = CalendarChange.objects.filter(pk=change_id, dispatched_at__isnull=False).exists()
        return Outcome.DONE if done else Outcome.BUSY
    change = CalendarChange.objects.get(pk=change_id)
    event = as_event(change)
    started = time.monotonic()
    try:
        for name, listener in calendar_changed_listeners():
            entry = change.progress.get(name, {})
            if entry.get("done"):
                continue
            cursor = entry.get("cursor")
            while True:
                step = listener(change=event, cursor=cursor)
                _save_progress(change, name, step.cursor, step.changed)
                cursor = step.cursor
                if cursor is None:
                    break
                if time_budget is not None and time.monotonic() - started >= time_budget:
                    return Outcome.MORE
        CalendarChange.objects.filter(pk=change_id).update(dispatched_at=timezone.now())
        logger.info("Calendar change %s dispatched: %s", change_id, change.progress)
        return Outcome.DONE
    finally:
        CalendarChange.objects.filter(pk=change_id).update(claimed_until=None)


def pending_calendar_change_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Changes not yet dispatched and not held by a running dispatch (the sweep's list).

    Read over ``calendar_change_pending_idx``: a handful of rows, as calendar changes are
    rare and leave the index once dispatched.
    """
    now = now or timezone.now()
    return list(
        CalendarChange.objects.filter(dispatched_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("id")
        .values_list("id", flat=True)
    )
