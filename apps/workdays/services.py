"""Every write to the working-day calendar. Each one publishes a new calendar version after
commit, so every process (web, worker, beat) picks the change up (see ``calendar``), and
records what it changed for deadlines (``changes``): after commit a task hands that to
the apps whose stored deadlines follow the calendar (``hooks``)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError
from apps.common.history import set_history_user
from apps.notifications.services import notify
from apps.workdays.calendar import schedule_version_bump
from apps.workdays.change_tasks import dispatch_calendar_change
from apps.workdays.changes import CalendarState, calendar_change_record, calendar_state
from apps.workdays.models import CalendarDay, CalendarSource, CalendarYear
from apps.workdays.package import package_years, sync_from_package
from apps.workdays.selectors import calendar_admin_recipients, calendar_next_year_missing

logger = logging.getLogger(__name__)


def _changed(*, before: CalendarState, summary: str, actor: Any) -> None:
    """Inside the writing transaction, after the writes: publish the new version after
    commit and, when a deadline may differ, record the change and send it to its listeners
    after commit (DOMAIN A7: deadlines follow the official calendar)."""
    schedule_version_bump()
    change = calendar_change_record(before=before, summary=summary, actor=actor)
    if change is None:
        return
    change_id = change.pk

    def send_calendar_change() -> None:
        dispatch_calendar_change.delay(change_id)

    # Robust: with the broker down the committed edit still succeeds (the error is logged)
    # and the periodic sweep sends the change within minutes.
    transaction.on_commit(send_calendar_change, robust=True)


def calendar_import_from_package(*, years: Iterable[int] | None = None, actor: Any = None) -> int:
    """Load the holiday arrangements of ``years`` (default: every year the package knows).

    Returns the number of rows written (days and years created, changed or removed): 0
    when the database already matches, so running it again is harmless. Days and years
    an admin entered or corrected are left alone (see ``package.sync_from_package``).
    """
    available = package_years()
    if years is None:
        wanted = available
    else:
        wanted = sorted(set(years))
        missing = [year for year in wanted if year not in available]
        if missing:
            raise ApplicationError(
                _(
                    "chinesecalendar 数据包没有 %(years)s 年的放假安排，"
                    "请升级数据包或在日历中手工录入。"
                )
                % {"years": "、".join(map(str, missing))},
                code="calendar_year_not_in_package",
                extra={"years": missing},
            )
    with transaction.atomic():
        before = calendar_state()
        written = sync_from_package(
            day_model=CalendarDay, year_model=CalendarYear, years=wanted, actor=actor
        )
        if written:
            summary = _("从 chinesecalendar 导入 %(years)s 年") % {
                "years": "、".join(map(str, wanted))
            }
            _changed(before=before, summary=summary, actor=actor)
    if written:
        logger.info("Imported the working-day calendar from chinesecalendar: %s rows", written)
    return written


def calendar_day_set(
    *,
    date: datetime.date,
    is_workday: bool,
    name: str = "",
    note: str = "",
    actor: Any = None,
) -> CalendarDay:
    """Create or correct one day (source: admin, which a package import never overwrites)."""
    with transaction.atomic():
        before = calendar_state()
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is None:
            day = CalendarDay(date=date)
        day.is_workday = is_workday
        day.name = name
        day.note = note
        day.source = CalendarSource.ADMIN
        day.full_clean(validate_unique=False)
        set_history_user(day, actor)
        day.save()
        summary = _("%(date)s 设为%(status)s") % {
            "date": date.isoformat(),
            "status": _("上班") if is_workday else _("放假"),
        }
        _changed(before=before, summary=summary, actor=actor)
    return day


def calendar_day_delete(*, date: datetime.date, actor: Any = None) -> None:
    """Remove a stored day: it follows the weekday rule again.

    A day that came from the package comes back at the next package import; to overrule
    the package, correct the day with :func:`calendar_day_set` instead.
    """
    with transaction.atomic():
        before = calendar_state()
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is None:
            return
        set_history_user(day, actor)
        day.delete()
        summary = _("%(date)s 恢复按星期计算") % {"date": date.isoformat()}
        _changed(before=before, summary=summary, actor=actor)


def calendar_year_set(*, year: int, status: str, note: str = "", actor: Any = None) -> CalendarYear:
    """Declare a year's arrangement loaded (provisional or published) after entering its days."""
    with transaction.atomic():
        before = calendar_state()
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        if row is None:
            row = CalendarYear(year=year)
        row.status = status
        row.note = note
        row.source = CalendarSource.ADMIN
        row.full_clean(validate_unique=False)
        set_history_user(row, actor)
        row.save()
        summary = _("%(year)s 年日历标记为%(status)s") % {
            "year": year,
            "status": row.get_status_display(),
        }
        _changed(before=before, summary=summary, actor=actor)
    return row


def calendar_year_delete(*, year: int, actor: Any = None) -> None:
    """Mark a year unknown again (its stored days stay; deadlines warn again)."""
    with transaction.atomic():
        before = calendar_state()
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        if row is None:
            return
        set_history_user(row, actor)
        row.delete()
        _changed(before=before, summary=_("%(year)s 年日历已移除") % {"year": year}, actor=actor)


def calendar_coverage_check(*, today: datetime.date | None = None) -> int | None:
    """Warn when next year's arrangement is missing; return that year, or None if loaded.

    Each system administrator gets one inbox notice per missing year (the dedupe key makes
    a daily re-run a no-op). The State Council publishes the next year's arrangement in
    Oct–Dec; until a year is loaded its deadlines count Monday–Friday only.
    """
    year = calendar_next_year_missing(today=today)
    if year is None:
        return None
    logger.warning(
        "Working-day calendar for %s is not loaded: deadlines in %s count Monday-Friday only",
        year,
        year,
    )
    recipients = list(calendar_admin_recipients())  # a handful of accounts
    if not recipients:
        logger.warning("No active system administrator to tell about the missing calendar")
        return year
    link = reverse("admin:workdays_calendaryear_changelist")
    for user in recipients:
        notify(
            recipient=user,
            title=_("%(year)s 年工作日历尚未维护") % {"year": year},
            body=_(
                "系统中还没有 %(year)s 年的法定节假日和调休安排，%(year)s 年的办理期限暂按"
                "周一至周五计算。国务院办公厅发布放假安排后，请在管理后台“工作日历”中"
                "从 chinesecalendar 导入或逐日录入，并将该年份标记为已发布。"
            )
            % {"year": year},
            category="system",
            link=link,
            channels=("inbox",),
            dedupe_key=f"calendar-missing:{year}:{user.pk}",
        )
    return year
