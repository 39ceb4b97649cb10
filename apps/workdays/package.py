"""Reading the maintained ``chinesecalendar`` package (State Council holiday notices).

Pure functions over the package plus :func:`sync_from_package`, which takes the model
classes as arguments so the data migration can run it with historical models and the
service with the real ones (history rows are then written by simple_history).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import chinese_calendar
from chinese_calendar.constants import Holiday

PACKAGE = "package"
ADMIN = "admin"
PUBLISHED = "published"

# The package's Chinese names are short forms; the UI shows the names people use.
_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
MAKE_UP_SUFFIX = "调休上班"


@dataclass(frozen=True)
class PackageDay:
    date: datetime.date
    is_workday: bool
    name: str


def package_years() -> list[int]:
    """Every year the installed package has an arrangement for (2004–2026 in 1.11)."""
    dates = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    first, last = min(dates).year, max(dates).year
    return [year for year in range(first, last + 1) if package_knows(year)]


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _holiday_name(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        chinese = Holiday(raw).chinese
    except ValueError:  # a name a future package version adds
        return raw[:48]
    return _FULL_NAMES.get(chinese, chinese)


def package_exceptions(year: int) -> list[PackageDay]:
    """The days of ``year`` on which the package departs from the weekday rule.

    Raises ``NotImplementedError`` (from the package) for a year it does not know.
    """
    day = datetime.date(year, 1, 1)
    result = []
    while day.year == year:
        is_holiday, raw_name = chinese_calendar.get_holiday_detail(day)
        is_workday = not is_holiday
        if is_workday != (day.weekday() < 5):
            name = _holiday_name(raw_name)
            if is_workday:
                name = f"{name}{MAKE_UP_SUFFIX}" if name else MAKE_UP_SUFFIX
            result.append(PackageDay(date=day, is_workday=is_workday, name=name))
        day += datetime.timedelta(days=1)
    return result


def _save(row: Any, actor: Any) -> None:
    row._history_user = actor  # read by simple_history; ignored by historical models
    row.save()


def sync_from_package(
    *, day_model: Any, year_model: Any, years: Iterable[int], actor: Any = None
) -> int:
    """Make the stored calendar of ``years`` match the package; return rows written.

    Idempotent: a second run writes nothing and returns 0. Admin rows (days and years)
    are never touched: an admin's correction outranks the package. Package rows the
    package no longer lists (a corrected notice in a newer package version) are removed.
    Call inside a transaction.
    """
    years = sorted(set(years))
    wanted = {d.date: d for year in years for d in package_exceptions(year)}
    existing = {
        row.date: row for row in day_model.objects.select_for_update().filter(date__year__in=years)
    }
    written = 0
    for date, target in sorted(wanted.items()):
        row = existing.get(date)
        if row is None:
            row = day_model(
                date=date, is_workday=target.is_workday, name=target.name, source=PACKAGE
            )
            _save(row, actor)
            written += 1
        elif row.source == PACKAGE and (row.is_workday, row.name) != (
            target.is_workday,
            target.name,
        ):
            row.is_workday, row.name = target.is_workday, target.name
            _save(row, actor)
            written += 1
    for date, row in existing.items():
        if row.source == PACKAGE and date not in wanted:
            row._history_user = actor
            row.delete()
            written += 1

    existing_years = {
        row.year: row for row in year_model.objects.select_for_update().filter(year__in=years)
    }
    for year in years:
        row = existing_years.get(year)
        if row is None:
            _save(year_model(year=year, status=PUBLISHED, source=PACKAGE), actor)
            written += 1
        elif row.source == PACKAGE and row.status != PUBLISHED:
            row.status = PUBLISHED
            _save(row, actor)
            written += 1
    return written
