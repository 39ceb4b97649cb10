"""Time limits (DOMAIN H8, H9): sign-off in hours; reply in hours (urgent) or working days
on the official calendar (normal), looked up per category, type and urgency."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError
from apps.hotline.models import Category, TimeLimit
from apps.workdays.calendar import SHANGHAI, add_working_days, local_date

REMIND_AT = datetime.time(9, 0)


@dataclass(frozen=True)
class Deadlines:
    sign_due_at: datetime.datetime
    reply_due_at: datetime.datetime
    reply_remind_at: datetime.datetime


def limit_for(*, category: Category, ticket_type: str, urgency: str) -> TimeLimit:
    """The most specific configured limit: the category, then its parent, then the default;
    within each, the ticket type before "any type"."""
    scopes = [c for c in (category.pk, category.parent_id) if c]
    rows = {
        (row.category_id, row.ticket_type): row
        for row in TimeLimit.objects.filter(
            Q(category__isnull=True) | Q(category_id__in=scopes), urgency=urgency
        )
    }
    for scope in (*scopes, None):
        for kind in (ticket_type, ""):
            if (scope, kind) in rows:
                return rows[(scope, kind)]
    raise ApplicationError(
        _("该分类和紧急程度未配置办理时限，请联系系统管理员。"), code="no_time_limit"
    )


def end_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)


def deadlines_from(start: datetime.datetime, limit: TimeLimit) -> Deadlines:
    """Deadlines of a dispatch made at ``start``. A working-day limit ends at the end of its
    last day (the dispatch day does not count); the reminder (催办) comes at 09:00 of the
    working day before, or ``HOTLINE_REMIND_BEFORE_HOURS`` before an hour-based limit."""
    sign_due = start + datetime.timedelta(hours=limit.sign_hours)
    if limit.reply_hours is not None:
        reply_due = start + datetime.timedelta(hours=limit.reply_hours)
        remind = reply_due - datetime.timedelta(hours=settings.HOTLINE_REMIND_BEFORE_HOURS)
    else:
        due_day = add_working_days(local_date(start), limit.reply_working_days or 0)
        reply_due = end_of_day(due_day)
        remind = datetime.datetime.combine(
            add_working_days(due_day, -1), REMIND_AT, tzinfo=SHANGHAI
        )
    return Deadlines(
        sign_due_at=sign_due,
        reply_due_at=reply_due,
        reply_remind_at=max(remind, start),
    )


def extended(due: datetime.datetime, *, working_days: int | None, hours: int | None):
    """The reply deadline after an approved extension."""
    if hours:
        return due + datetime.timedelta(hours=hours)
    return end_of_day(add_working_days(local_date(due), working_days or 0))


def callback_due(replied_at: datetime.datetime) -> datetime.date:
    """H9: the caller is called back the (working) day after the reply."""
    return add_working_days(local_date(replied_at), settings.HOTLINE_CALLBACK_WORKING_DAYS)


def today() -> datetime.date:
    return timezone.localdate()
