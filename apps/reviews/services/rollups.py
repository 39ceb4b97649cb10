"""Keep the rollups equal to the reviews, in the transaction that changes them (R2, R6).

Each change is one ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + EXCLUDED.n`` per
table: atomic in the database, so concurrent reviews of the same key add up instead of
overwriting each other, and it rolls back with the review. Rows are touched in one fixed
order (day, month, staff, cases) so two transactions never wait on each other in a circle.
The syntax is shared by PostgreSQL and SQLite (3.24+).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
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
    _upsert_many(model, tuple(keys), tuple(deltas), {tuple(keys.values()): tuple(deltas.values())})


def _upsert_many(
    model,
    key_names: tuple[str, ...],
    delta_names: tuple[str, ...],
    rows: Mapping[tuple, tuple[int, ...]],
) -> None:
    """One statement for many keys: ``rows`` maps each key to its deltas, aggregated by the
    caller (one ``ON CONFLICT`` statement may not touch the same row twice). Keys go in
    sorted order, so two batches lock the rows they share in the same order."""
    if not rows:
        return
    # Only our own table and column names are interpolated; values go as parameters.
    table = model._meta.db_table
    columns = [*key_names, *delta_names]
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in delta_names)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES {', '.join([row_sql] * len(rows))} "
        f"ON CONFLICT ({', '.join(key_names)}) DO UPDATE SET {updates}"
    )
    params: list[Any] = []
    for key in sorted(rows):
        params += [*key, *rows[key]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _month(day: date) -> date:
    return day.replace(day=1)


def count_review(review: Review, delta: int) -> None:
    """+1 when a review is given, -1 when an upheld appeal takes it out of the figures."""
    count_reviews([review], delta)


def count_reviews(reviews: Iterable[Review], delta: int = 1) -> None:
    """The three review rollups for many reviews at once (a batch): the deltas summed per
    key first, then one statement per table — the same counts as one call per review."""
    day: Counter[tuple] = Counter()
    month: Counter[tuple] = Counter()
    staff: Counter[tuple] = Counter()
    for review in reviews:
        department, item, first = review.department_id, review.item_id or 0, _month(review.day)
        day[(review.day, department, item, review.is_bad)] += delta
        month[(first, department, item, review.channel, review.level)] += delta
        staff[(first, department, review.window_id or 0, review.staff_id or 0, review.level)] += (
            delta
        )
    _upsert_many(
        ReviewDayRollup,
        ("day", "department_id", "item_key", "bad"),
        ("count",),
        {key: (n,) for key, n in day.items()},
    )
    _upsert_many(
        ReviewMonthRollup,
        ("month", "department_id", "item_key", "channel", "level"),
        ("count",),
        {key: (n,) for key, n in month.items()},
    )
    _upsert_many(
        ReviewStaffRollup,
        ("month", "department_id", "window_key", "staff_key", "level"),
        ("count",),
        {key: (n,) for key, n in staff.items()},
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
