"""The same figures computed the slow way, from the reviews and cases themselves.

For tests (rollup = raw, DOMAIN R2, R6) and the benchmark's baseline; never called by a
page. Each function returns ``{key tuple: count}`` with zero rows left out, the shape
:func:`rollup_counts` gives for the matching rollup table.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from apps.reviews.models import (
    CaseMonthRollup,
    RectificationCase,
    Review,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
)
from apps.reviews.workflow import RESOLVED_STATES, CaseState

DAY_KEY = ("day", "department_id", "item_key", "bad")
MONTH_KEY = ("month", "department_id", "item_key", "channel", "level")
STAFF_KEY = ("month", "department_id", "window_key", "staff_key", "level")
CASE_KEY = ("month", "department_id", "item_key")


def _included():
    return Review.objects.filter(excluded=False).annotate(
        bad=F("is_bad"),
        month=TruncMonth("day"),
        item_key=Coalesce("item_id", 0),
        window_key=Coalesce("window_id", 0),
        staff_key=Coalesce("staff_id", 0),
    )


def _counted(qs, key: tuple[str, ...]) -> dict[tuple, int]:
    rows = qs.values(*key).annotate(n=Count("id")).order_by()
    return {tuple(r[k] for k in key): r["n"] for r in rows}


def raw_day_counts() -> dict[tuple, int]:
    return _counted(_included(), DAY_KEY)


def raw_month_counts() -> dict[tuple, int]:
    return _counted(_included(), MONTH_KEY)


def raw_staff_counts() -> dict[tuple, int]:
    return _counted(_included(), STAFF_KEY)


def raw_case_counts() -> dict[tuple, tuple[int, int, int]]:
    resolved = Q(state__in=[s.value for s in RESOLVED_STATES])
    rows = (
        RectificationCase.objects.exclude(state=CaseState.EXCLUDED)
        .annotate(
            month=TruncMonth("review__day"),
            item_key=Coalesce("review__item_id", 0),
        )
        .values("month", "department_id", "item_key")
        .annotate(
            o=Count("id"),
            r=Count("id", filter=resolved),
            t=Count("id", filter=resolved & Q(on_time=True)),
        )
        .order_by()
    )
    return {(r["month"], r["department_id"], r["item_key"]): (r["o"], r["r"], r["t"]) for r in rows}


def rollup_counts(model) -> dict[tuple, int]:
    key = {ReviewDayRollup: DAY_KEY, ReviewMonthRollup: MONTH_KEY, ReviewStaffRollup: STAFF_KEY}[
        model
    ]
    rows = model.objects.filter(count__gt=0).values(*key, "count")
    return {tuple(r[k] for k in key): r["count"] for r in rows}


def rollup_case_counts() -> dict[tuple, tuple[int, int, int]]:
    rows = CaseMonthRollup.objects.values(*CASE_KEY).annotate(
        o=Sum("opened"), r=Sum("resolved"), t=Sum("on_time")
    )
    return {
        tuple(r[k] for k in CASE_KEY): (r["o"], r["r"], r["t"])
        for r in rows.order_by()
        if r["o"] or r["r"] or r["t"]
    }


def raw_department_levels(start, end) -> dict[tuple, int]:
    """The benchmark's baseline: the department × level figure by GROUP BY over the
    reviews (what the dashboard would cost without rollups)."""
    qs = Review.objects.filter(excluded=False, day__gte=start, day__lt=end)
    return _counted(qs, ("department_id", "level"))
