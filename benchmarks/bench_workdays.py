"""Ten years of deadlines: deadline_for vs chinese_calendar's own stepping (find_workday).

Every calendar day 2017-01-01 .. 2026-12-31 as the acceptance date (10:00 Asia/Shanghai)
× limits of 1, 5, 20 and 45 working days = 14,608 deadlines per run. Both sides get the
same aware datetimes and convert them to the Shanghai date; both must give the same dates
(checked before timing). Deadlines running into 2027, which the package does not know,
fall back to Monday–Friday on both sides.
"""

from __future__ import annotations

import datetime
import logging

import chinese_calendar
from django.db import connection

from apps.workdays import calendar
from apps.workdays.calendar import SHANGHAI, deadline_for
from benchmarks.harness import Result, measure

LIMITS = (1, 5, 20, 45)
FIRST, LAST = datetime.date(2017, 1, 1), datetime.date(2026, 12, 31)


def _cases() -> list[tuple[datetime.datetime, int]]:
    days = (LAST - FIRST).days + 1
    moments = [
        datetime.datetime.combine(FIRST + datetime.timedelta(days=i), datetime.time(10), SHANGHAI)
        for i in range(days)
    ]
    return [(moment, n) for moment in moments for n in LIMITS]


def _package_is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def package_deadline(accepted_at: datetime.datetime, n: int) -> datetime.date:
    """The baseline: what one writes with the package alone (n >= 1).

    ``find_workday(k, d)`` is the k-th workday after the first workday on or after d, so the
    n-th working day after the acceptance date is ``find_workday(n - 1, next day)``.
    """
    start = accepted_at.astimezone(SHANGHAI).date()
    try:
        return chinese_calendar.find_workday(n - 1, start + datetime.timedelta(days=1))
    except NotImplementedError:  # stepped into a year the package does not know
        day, counted = start, 0
        while counted < n:
            day += datetime.timedelta(days=1)
            counted += _package_is_workday(day)
        return day


def run() -> list[Result]:
    # Deadlines into 2027 log the "unknown year" warning once; keep the report readable.
    logging.getLogger("apps.workdays.calendar").setLevel(logging.ERROR)
    cases = _cases()
    theirs: list[datetime.date] = []

    def baseline_loop() -> None:
        theirs[:] = [package_deadline(moment, n) for moment, n in cases]

    def ours_loop(subset: list[tuple[datetime.datetime, int]] | None = None) -> None:
        for moment, n in cases if subset is None else subset:
            deadline_for(accepted_at=moment, working_days=n)

    # The baseline is slow (seconds per pass): no warm-up pass; its last pass is the oracle.
    baseline_timing = measure(baseline_loop, repeat=3, warmup=0)
    ours = [deadline_for(accepted_at=moment, working_days=n) for moment, n in cases]
    mismatches = sum(a != b for a, b in zip(ours, theirs, strict=True))
    if mismatches:
        raise SystemExit(f"bench_workdays: {mismatches} deadlines differ from chinese_calendar")

    days = [FIRST + datetime.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]

    def package_days() -> None:
        for day in days:
            chinese_calendar.is_workday(day)

    def our_days() -> None:
        for day in days:
            calendar.is_workday(day)

    ours_timing = measure(ours_loop, repeat=7)
    store = calendar.default_store
    saved_recheck = store.recheck_seconds
    store.recheck_seconds = 0.0
    try:
        sample = cases[::5]  # a fifth of the cases, all limits mixed: keeps the run short
        recheck_every_call = measure(lambda: ours_loop(sample), repeat=3)
    finally:
        store.recheck_seconds = saved_recheck

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def reload_snapshot() -> None:
        calendar.load_snapshot("bench")

    n = len(cases)
    base_name = f"chinese_calendar.find_workday × {n:,}"
    day_base = f"chinese_calendar.is_workday × {len(days):,}"
    return [
        Result(base_name, baseline_timing, ops=n),
        Result(f"deadline_for × {n:,}", ours_timing, base_name, ops=n),
        Result(
            f"deadline_for × {len(sample):,}, Redis version check per call",
            recheck_every_call,
            base_name,
            ops=len(sample),
            note="(worst case: RECHECK_SECONDS = 0, one Redis GET per call)",
        ),
        Result(day_base, measure(package_days, repeat=5), ops=len(days)),
        Result(f"is_workday × {len(days):,}", measure(our_days, repeat=7), day_base, ops=len(days)),
        Result("SELECT 1 round trip", measure(select_one, repeat=50, warmup=5)),
        Result(
            "calendar snapshot reload (2 queries + build)",
            measure(reload_snapshot, repeat=20, warmup=2),
            "SELECT 1 round trip",
            note="(once per process and after each calendar change)",
        ),
    ]
