"""Keep the rollups equal to the reviews, in the transaction that changes them (R2, R6).

Each change is one ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + EXCLUDED.n`` per
table: atomic in the database, so concurrent reviews of the same key add up instead of
overwriting each other, and it rolls back with the review. Rows are touched in one fixed
order (day, month, staff, cases) so two transactions never wait on each other in a circle.
The syntax is shared by PostgreSQL and SQLite (3.24+).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import connection

from apps.reviews.models import (
    CaseMonthRollup,
    RectificationCase,
    Review,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
)


def _upsert(model, keys: Mapping[str, Any], deltas: Mapping[str, int]) -> None:
    # Only our own table and column names are interpolated; values go as parameters.
    table = model._meta.db_table
    columns = [*keys, *deltas]
    placeholders = ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in deltas)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        params: list[Any] = [*keys.values(), *deltas.values()]
        cursor.execute(sql, params)


def _month(day: date) -> date:
    return day.replace(day=1)


def count_review(review: Review, delta: int) -> None:
    """+1 when a review is given, -1 when an upheld appeal takes it out of the figures."""
    department, item = review.department_id, review.item_id or 0
    _upsert(
        ReviewDayRollup,
        {"day": review.day, "department_id": department, "item_key": item, "bad": review.is_bad},
        {"count": delta},
    )
    _upsert(
        ReviewMonthRollup,
        {
            "month": _month(review.day),
            "department_id": department,
            "item_key": item,
            "channel": review.channel,
            "level": review.level,
        },
        {"count": delta},
    )
    _upsert(
        ReviewStaffRollup,
        {
            "month": _month(review.day),
            "department_id": review.department_id,
            "window_key": review.window_id or 0,
            "staff_key": review.staff_id or 0,
            "level": review.level,
        },
        {"count": delta},
    )


def count_case(review: Review, *, opened: int = 0, resolved: int = 0, on_time: int = 0) -> None:
    """Cases by the month of their review: opened, handled, handled on time."""
    _upsert(
        CaseMonthRollup,
        {
            "month": _month(review.day),
            "department_id": review.department_id,
            "item_key": review.item_id or 0,
        },
        {"opened": opened, "resolved": resolved, "on_time": on_time},
    )


def uncount_case(case: RectificationCase) -> None:
    """An upheld appeal takes the case out of the figures with its review."""
    count_case(
        case.review,
        opened=-1,
        resolved=-1 if case.resolved_at else 0,
        on_time=-1 if case.on_time else 0,
    )
