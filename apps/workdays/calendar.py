"""Working days by the official Chinese calendar: the API every deadline in the product uses.

A day is a working day when it is Monday–Friday, unless the stored calendar says
otherwise (public holidays on weekdays, 调休 make-up workdays on weekends, admin
corrections; see :mod:`apps.workdays.models`). DOMAIN intro, A4a, A7, A7a, A8, R3.

Counting convention (行政许可法 §82; 民法典 §201: 期间开始的当日不计入): a period of
``n`` working days that starts on day ``d`` does not count ``d`` itself; its last day is
the ``n``-th working day after ``d``, and that day is inclusive: a case is due by the end
of it.

Years without a :class:`~apps.workdays.models.CalendarYear` row are *unknown*: they are
counted with the weekday rule only, and a warning is logged once per year per process.
Nothing here raises because a year is unknown. A deadline whose count runs through an
unknown year, or through a year whose arrangement is only provisional, is itself
provisional (:func:`uses_provisional_calendar`): cases mark it, and the recompute that
follows the year's publication clears the mark (``apps.workdays.changes``).

Speed: the stored exception days (a few hundred rows) are loaded once per process into
an immutable snapshot (a dict of exceptions plus a sorted array of the workday ordinals
of the covered years), so every call is a couple of binary searches and no database
query. The snapshot is tagged with a version token kept in the Django cache (Redis);
services that change the calendar replace the token after commit (:func:`bump_version`),
and every process compares its token with the cache at most once per
``RECHECK_SECONDS`` and reloads when it differs. As a safety net against a flushed
cache, a snapshot is also reloaded after ``MAX_AGE_SECONDS`` (this is also how other
processes learn of a change when the cache is the local-memory fallback of ``make run``
without ``REDIS_URL``). Inside a transaction that has just changed the calendar, reads see
that change at once but it is cached nowhere until the transaction commits.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from apps.workdays.models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
VERSION_CACHE_KEY = "workdays:calendar-version"
# How stale another process's view of an admin edit may be, at most.
RECHECK_SECONDS = 1.0
# Reload even without a version change (a flushed or unreachable cache).
MAX_AGE_SECONDS = 300.0


# --- The weekday rule in closed form (ordinal 1 = 0001-01-01, a Monday) ------------------


def _weekdays_upto(ordinal: int) -> int:
    """Number of Mondays–Fridays with ordinal in [1, ordinal]."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _nth_weekday(k: int) -> int:
    """Ordinal of the k-th Monday–Friday counted from 0001-01-01 (k >= 1)."""
    weeks, rest = divmod(k - 1, 5)
    return 7 * weeks + rest + 1


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


# --- Snapshot --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarSnapshot:
    """The calendar as one process sees it; immutable, swapped atomically on reload.

    ``count(o)`` is the number of working days with ordinal in [1, o] and ``nth(k)`` its
    inverse (the ordinal of the k-th working day). Inside [``lo``, ``hi``] (every day of
    the years that have stored data) they use a sorted array of workday ordinals; outside
    it, the weekday rule in closed form. Both are O(log n) whatever the distance.
    """

    version: str | None
    overrides: dict[int, bool]
    known_years: frozenset[int]
    published_years: frozenset[int]
    lo: int
    hi: int
    workdays: list[int]
    base: int  # working days before lo
    tail: int  # correction for ordinals after hi

    @classmethod
    def build(
        cls,
        *,
        version: str | None,
        overrides: dict[date, bool],
        known_years: Iterable[int],
        published_years: Iterable[int] | None = None,
    ) -> CalendarSnapshot:
        """``published_years`` defaults to every known year."""
        known = frozenset(known_years)
        published = known if published_years is None else frozenset(published_years)
        by_ordinal = {d.toordinal(): flag for d, flag in overrides.items()}
        years = known | {d.year for d in overrides}
        if years:
            lo = date(min(years), 1, 1).toordinal()
            hi = date(max(years), 12, 31).toordinal()
        else:
            lo, hi = 1, 0  # empty range: the weekday rule everywhere
        workdays = [o for o in range(lo, hi + 1) if by_ordinal.get(o, (o - 1) % 7 < 5)]
        base = _weekdays_upto(lo - 1)
        tail = base + len(workdays) - _weekdays_upto(hi)
        return cls(
            version=version,
            overrides=by_ordinal,
            known_years=known,
            published_years=published,
            lo=lo,
            hi=hi,
            workdays=workdays,
            base=base,
            tail=tail,
        )

    def is_workday(self, ordinal: int) -> bool:
        flag = self.overrides.get(ordinal)
        return _is_weekday(ordinal) if flag is None else flag

    def count(self, ordinal: int) -> int:
        if ordinal < self.lo:
            return _weekdays_upto(ordinal)
        if ordinal > self.hi:
            return _weekdays_upto(ordinal) + self.tail
        return self.base + bisect_right(self.workdays, ordinal)

    def nth(self, k: int) -> int:
        if k <= self.base:
            return _nth_weekday(k)
        index = k - self.base
        if index <= len(self.workdays):
            return self.workdays[index - 1]
        return _nth_weekday(k - self.tail)


def load_snapshot(version: str | None) -> CalendarSnapshot:
    """Read the stored calendar (two small queries)."""
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    years = dict(CalendarYear.objects.values_list("year", "status"))
    published = [year for year, status in years.items() if status == CalendarYear.Status.PUBLISHED]
    return CalendarSnapshot.build(
        version=version, overrides=overrides, known_years=years, published_years=published
    )


class CalendarStore:
    """Holds one process's snapshot and decides when to reload it.

    The module keeps one instance (``default_store``); tests create more to play the part
    of other processes. ``clock`` is injectable so staleness can be tested without sleeping.
    """

    def __init__(
        self,
        *,
        recheck_seconds: float = RECHECK_SECONDS,
        max_age_seconds: float = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.recheck_seconds = recheck_seconds
        self.max_age_seconds = max_age_seconds
        self.clock = clock
        self._snapshot: CalendarSnapshot | None = None
        self._checked_at = -math.inf
        self._loaded_at = -math.inf
        self._lock = threading.Lock()
        self.warned_years: set[int] = set()

    def snapshot(self) -> CalendarSnapshot:
        if _this_thread.wrote_calendar:
            if _calendar_written_in_this_transaction():
                # Read our own uncommitted change, and never cache it process-wide: the
                # transaction may still roll back. Everyone else reloads after commit.
                return load_snapshot(None)
            _this_thread.wrote_calendar = False  # committed or rolled back since
        snap = self._snapshot
        now = self.clock()
        if snap is not None and now - self._loaded_at < self.max_age_seconds:
            if now - self._checked_at < self.recheck_seconds:
                return snap
            version = current_version()
            if version is None or version == snap.version:
                self._checked_at = now
                return snap
        else:
            version = current_version()
        # Read the version before the rows: an edit committed in between only causes one
        # extra reload later, never a stale snapshot under the new version.
        with self._lock:
            snap = load_snapshot(version)
            self._snapshot = snap
            self._checked_at = self._loaded_at = now
        return snap

    def invalidate(self) -> None:
        self._snapshot = None

    def reload(self) -> CalendarSnapshot:
        """Read the stored calendar now, whatever the cached version says.

        For work that must see every change committed before it started (the recompute
        after a calendar change, see ``apps.workdays.changes``), where "at most a second
        stale" is not good enough.
        """
        self.invalidate()
        return self.snapshot()

    def warn_unknown_years(self, snap: CalendarSnapshot, first: int, last: int) -> None:
        """Log once per year per process that ``first``..``last`` (years) use weekdays only."""
        if first == last and first in snap.known_years:
            return  # the common case, kept cheap
        for year in range(first, last + 1):
            if year not in snap.known_years and year not in self.warned_years:
                self.warned_years.add(year)
                logger.warning(
                    "Working-day calendar has no holiday arrangement for %s; counting "
                    "Monday-Friday as working days. Load the year in the admin (工作日历).",
                    year,
                )


default_store = CalendarStore()


class _ThreadState(threading.local):
    wrote_calendar = False  # a class default keeps the per-call read cheap


_this_thread = _ThreadState()


def schedule_version_bump() -> None:
    """For services, inside the transaction that changes the calendar: publish a new
    version after commit; until then only this transaction sees the change."""
    _this_thread.wrote_calendar = True  # cheap flag so readers skip the check below
    transaction.on_commit(bump_version)


def _calendar_written_in_this_transaction() -> bool:
    """Whether the open transaction changed the calendar (a version bump awaits commit)."""
    conn = connections[DEFAULT_DB_ALIAS]
    return conn.in_atomic_block and any(
        callback is bump_version for _, callback, _ in conn.run_on_commit
    )


def current_version() -> str | None:
    """The calendar version token in the shared cache (created if missing).

    Returns None when the cache is unreachable: callers then keep what they have.
    """
    try:
        version = cache.get(VERSION_CACHE_KEY)
        if version is None:
            cache.add(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_CACHE_KEY)
    except Exception:
        logger.warning("Cache unreachable; keeping the loaded working-day calendar", exc_info=True)
        return None
    return version


def bump_version() -> None:
    """Tell every process that the stored calendar changed (call after commit).

    Services call it through :func:`schedule_version_bump`; nothing else should need it.
    """
    default_store.invalidate()
    try:
        cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.error(
            "Could not publish a new working-day calendar version; other processes see the "
            "change within %s seconds",
            int(MAX_AGE_SECONDS),
            exc_info=True,
        )


# --- Public API --------------------------------------------------------------------------


def _ordinal(d: date, name: str) -> int:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(
            f"{name} must be a datetime.date (convert datetimes with timezone.localdate())"
        )
    return d.toordinal()


def is_workday(d: date) -> bool:
    """Whether ``d`` is a working day by the official calendar (DOMAIN intro).

    Unknown years: Monday–Friday (with a logged warning). Datetimes are refused (TypeError):
    the caller decides which local date a moment belongs to.
    """
    ordinal = _ordinal(d, "d")
    snap = default_store.snapshot()
    default_store.warn_unknown_years(snap, d.year, d.year)
    return snap.is_workday(ordinal)


def is_year_known(year: int) -> bool:
    """Whether ``year`` has a loaded holiday arrangement (a CalendarYear row)."""
    return year in default_store.snapshot().known_years


def uses_provisional_calendar(start: date, end: date) -> bool:
    """Whether counting the working days in (``start``, ``end``] relies on a year whose
    holiday arrangement is not published: unknown (the weekday-only fallback) or entered
    as provisional. Such a count may still move when the State Council publishes the year.

    False for an empty interval (``end <= start``).
    """
    first, last = _ordinal(start, "start") + 1, _ordinal(end, "end")
    if last < first:
        return False
    published = default_store.snapshot().published_years
    return any(
        year not in published
        for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1)
    )


def reload_calendar() -> None:
    """Make this process read the stored calendar again now (see ``CalendarStore.reload``)."""
    default_store.reload()


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (期间开始之日不计算在内; DOMAIN A7).

    - ``n > 0``: ``start`` itself never counts, whether or not it is a working day; the
      result is always a working day. Friday 2025-09-26 + 1 → Sunday 2025-09-28 (调休上班).
    - ``n == 0``: ``start`` unchanged, even if it is not a working day.
    - ``n < 0``: counts backwards: the ``|n|``-th working day strictly before ``start``
      (e.g. "remind 2 working days before the deadline", DOMAIN A15); always a working day.

    For ``n > 0``: ``working_days_between(start, result) == n``. For ``n < 0``: exactly
    ``|n|`` working days lie in [result, start).
    """
    ordinal = _ordinal(start, "start")
    if n == 0:
        return start
    snap = default_store.snapshot()
    if n > 0:
        result = snap.nth(snap.count(ordinal) + n)
    else:
        result = snap.nth(snap.count(ordinal - 1) + n + 1)
    end = date.fromordinal(result)
    default_store.warn_unknown_years(snap, min(start, end).year, max(start, end).year)
    return end


def working_days_between(a: date, b: date) -> int:
    """Number of working days in the half-open interval (a, b]: ``a`` excluded, ``b`` included.

    This is "how many working days of the limit have been used by the end of day ``b``"
    for a period that started on ``a``. Zero when a == b. When b < a the result is
    negative: minus the working days in (b, a].
    """
    oa, ob = _ordinal(a, "a"), _ordinal(b, "b")
    snap = default_store.snapshot()
    default_store.warn_unknown_years(snap, min(a, b).year, max(a, b).year)
    return snap.count(ob) - snap.count(oa)


def local_date(moment: datetime | date) -> date:
    """The Asia/Shanghai calendar date of an aware datetime; a date is returned as is.

    Naive datetimes are refused (ValueError): their meaning depends on the server.
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a timezone-aware datetime is required")
        return moment.astimezone(SHANGHAI).date()
    if isinstance(moment, date):
        return moment
    raise TypeError("expected a datetime or a date")


def _merged_suspensions(
    suspensions: Iterable[tuple[date, date]], after: int
) -> list[tuple[int, int]]:
    """Disjoint, sorted [start, end) ordinal intervals, clipped to days after ``after``."""
    intervals = []
    for start, end in suspensions:
        s, e = _ordinal(start, "suspension start"), _ordinal(end, "suspension end")
        if e < s:
            raise ValueError(f"suspension ends before it starts: {start} .. {end}")
        s = max(s, after + 1)
        if e > s:
            intervals.append((s, e))
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for s, e in intervals:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def deadline_for(
    *,
    accepted_at: datetime | date,
    working_days: int,
    suspensions: Iterable[tuple[date, date]] = (),
    extension_days: int = 0,
) -> date:
    """The last day (inclusive: due by the end of it) for a case accepted at ``accepted_at``.

    - The clock starts at acceptance (DOMAIN A7): ``accepted_at`` is an aware datetime,
      converted to its Asia/Shanghai date (or a ``date``, taken as that local date). The
      acceptance day does not count (期间开始之日不计算在内), so the deadline is the
      ``working_days + extension_days``-th counted working day after it.
    - ``extension_days``: approved extension, in working days (DOMAIN A7, A7a: e.g. 20 + 10).
    - ``suspensions``: periods ``(start, end)`` while a special procedure runs (现场勘验,
      技术审查, 听证论证, 专家评审; DOMAIN A8). The interval is half-open [start, end):
      ``start`` is the first paused day, ``end`` the day the clock resumes (it counts).
      Working days inside a suspension do not count; overlapping periods count once;
      days before acceptance are ignored. Pass the expected or current end for a
      suspension still running.
    - ``working_days + extension_days == 0`` (即办件): the acceptance date itself.

    Example: accepted Friday 2025-09-26, 5 working days → 09-28 (Sun, 调休上班), 09-29,
    09-30, [10-01..10-08 National Day], 10-09, 10-10 → due by the end of 2025-10-10.
    """
    if working_days < 0 or extension_days < 0:
        raise ValueError("working_days and extension_days must be >= 0")
    start = local_date(accepted_at)
    total = working_days + extension_days
    if total == 0:
        return start
    snap = default_store.snapshot()
    start_ordinal = start.toordinal()
    position = snap.count(start_ordinal)
    remaining = total
    for pause_start, pause_end in _merged_suspensions(suspensions, start_ordinal):
        available = snap.count(pause_start - 1) - position
        if available >= remaining:
            break
        remaining -= available
        position = snap.count(pause_end - 1)  # the paused working days are skipped
    due = date.fromordinal(snap.nth(position + remaining))
    default_store.warn_unknown_years(snap, start.year, due.year)
    return due


__all__ = [
    "SHANGHAI",
    "CalendarSnapshot",
    "CalendarStore",
    "add_working_days",
    "bump_version",
    "deadline_for",
    "default_store",
    "is_workday",
    "is_year_known",
    "local_date",
    "reload_calendar",
    "schedule_version_bump",
    "uses_provisional_calendar",
    "working_days_between",
]
