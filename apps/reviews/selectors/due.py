"""What the case supervision must act on today (DOMAIN R3, R7).

Each function is a range over a partial index that holds only the cases a reminder or an
escalation is still owed for (``RectificationCase.Meta.indexes``), so a sweep costs what is
due, not what is open; :func:`keyset` walks them in chunks (the shape of
``apps.applications.due_selectors``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q, QuerySet

from apps.reviews.models import AlertLevel, RectificationCase
from apps.reviews.workflow import DEADLINE_VALUES

_WATCHED = list(DEADLINE_VALUES)


def cases_to_remind(today: date) -> QuerySet[RectificationCase]:
    """Open deadline reached its reminder day and nobody was reminded yet."""
    return RectificationCase.objects.filter(
        state__in=_WATCHED, alert_level=AlertLevel.NONE, remind_on__lte=today
    )


def cases_late(today: date) -> QuerySet[RectificationCase]:
    """Past the deadline (the due day itself still counts) and not escalated yet."""
    return RectificationCase.objects.filter(
        state__in=_WATCHED, alert_level__lt=AlertLevel.LATE, due_on__lt=today
    )


def keyset(qs: QuerySet, date_field: str, batch_size: int) -> Iterator[list[int]]:
    """Ids in (date, id) order, ``batch_size`` at a time, resuming after the last key."""
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
