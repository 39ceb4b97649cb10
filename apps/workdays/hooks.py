"""What the working-day calendar tells the apps above it when it changes.

The calendar sits below every app that stores dates counted in working days, so it may not
import them (CONVENTIONS: layers). An app whose stored deadlines must follow the calendar
registers a *calendar-changed listener* here from its ``AppConfig.ready()``; the calendar's
dispatch service (:func:`apps.workdays.changes.calendar_change_dispatch`) calls every
registered listener explicitly, in a Celery task started after the change committed. This
is not a Django signal: the call is in plain sight, and ``calendar_changed_listeners()``
lists what is registered.

A listener is called as::

    listener(*, change: CalendarChanged, cursor: str | None) -> ListenerStep

and does the next bounded piece of its work (e.g. one batch of a few hundred rows) after
``cursor`` (``None``: from the start), returning the cursor to resume from, or
``cursor=None`` once it has nothing left to do for this change. The dispatcher saves the
cursor after every step and calls again until done or until its time budget is spent
(then the task re-queues itself). A step must be idempotent: after a killed worker or a
redelivered task the same step runs again, and it must then change nothing twice (no
second timeline row, no second notice). The listener reads the calendar through
:mod:`apps.workdays.calendar`; it calls ``reload_calendar()`` after locking the rows it
recomputes, so that a later change committed meanwhile (whose own dispatch may already
have passed those rows) is never overwritten with dates from an older view.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarChanged:
    """A committed calendar change, as listeners see it.

    ``spans``: sorted, disjoint, inclusive ``(first, last)`` date ranges. A day is in a
    span when it changed between working day and rest day; every day of a year is in a
    span when the year became published or stopped being published (a deadline counted
    through it changes from provisional to final or back).
    """

    change_id: int
    spans: tuple[tuple[datetime.date, datetime.date], ...]

    @property
    def first(self) -> datetime.date:
        return self.spans[0][0]

    @property
    def last(self) -> datetime.date:
        return self.spans[-1][1]


@dataclass(frozen=True)
class ListenerStep:
    """What one call of a listener did: where to resume (``None``: done) and how many rows
    it changed (shown to administrators on the change's admin page)."""

    cursor: str | None
    changed: int = 0


CalendarChangedListener = Callable[..., ListenerStep]

_listeners: dict[str, CalendarChangedListener] = {}


def register_calendar_changed(name: str, listener: CalendarChangedListener) -> None:
    """Register ``listener`` under a stable ``name`` (its progress is saved under it).

    Registering the same name again replaces the listener (``ready()`` may run twice in
    tests); names must stay stable across deployments while changes are in flight.
    """
    _listeners[name] = listener


def calendar_changed_listeners() -> list[tuple[str, CalendarChangedListener]]:
    """Every registered listener, in registration order."""
    return list(_listeners.items())
