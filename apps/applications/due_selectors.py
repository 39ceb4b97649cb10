"""What electronic supervision must act on today (DOMAIN A4a, A5, A14, A15, T3).

Reads only: each function is a range over a partial index that holds only the rows a
reminder or a transition is still owed for (``Application.Meta.indexes``,
``CorrectionRequest.Meta.indexes``), so a pass costs what is due, not what is open.
:func:`keyset` walks any of them in chunks. The transitions taken on what these select
are in :mod:`apps.applications.services.supervision`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q, QuerySet

from apps.applications.models import Application, CorrectionRequest, WarningLevel
from apps.applications.workflow import CLOCK_RUNNING_VALUES, State

_RUNNING = list(CLOCK_RUNNING_VALUES)


def overdue_intakes(today: date) -> QuerySet[Application]:
    """A4a: submitted, and the 5-working-day intake period ended before today."""
    return Application.objects.filter(state=State.SUBMITTED, intake_due_date__lt=today)


def intakes_due_today(today: date) -> QuerySet[Application]:
    """A4a: submitted, and today is the last day of the intake period."""
    return Application.objects.filter(state=State.SUBMITTED, intake_due_date=today)


def red_due(today: date) -> QuerySet[Application]:
    """A15: clock running, past the due date, not yet marked red."""
    return Application.objects.filter(state__in=_RUNNING, due_date__lt=today).filter(
        ~Q(warning_level=WarningLevel.RED)
    )


def yellow_due(today: date) -> QuerySet[Application]:
    """A15: clock running, in the warning zone, still green."""
    return Application.objects.filter(
        state__in=_RUNNING, warning_level=WarningLevel.GREEN, yellow_on__lte=today
    )


def corrections_to_remind(today: date) -> QuerySet[CorrectionRequest]:
    """A14: open correction notices whose reminder day has come and that were not reminded."""
    return CorrectionRequest.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, remind_on__lte=today
    )


def lapsed_corrections(today: date) -> QuerySet[CorrectionRequest]:
    """Open correction notices whose deadline has passed: the deadline day itself still
    counts, so a notice lapses from the next calendar day. A range over
    ``correction_lapse_idx``, which holds only notices neither answered nor lapsed yet."""
    return CorrectionRequest.objects.filter(
        answered_at__isnull=True, lapsed_at__isnull=True, deadline__lt=today
    )


def keyset(qs: QuerySet, date_field: str, batch_size: int) -> Iterator[list[int]]:
    """Ids in (date, id) order, ``batch_size`` at a time, resuming after the last seen key:
    the walk follows the partial index and never revisits or loads everything."""
    last: tuple[date, int] | None = None
    while True:
        page = qs
        if last is not None:
            page = qs.filter(
                Q(**{f"{date_field}__gt": last[0]}) | Q(**{date_field: last[0], "pk__gt": last[1]})
            )
        rows = list(page.order_by(date_field, "pk").values_list(date_field, "pk")[:batch_size])
        if not rows:
            return
        yield [pk for _d, pk in rows]
        last = rows[-1]
