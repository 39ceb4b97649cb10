"""The dates of a case (DOMAIN R3, R7): one working day to call back, the configured working
days to rectify, and the stage fields the supervision sweep reads."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from apps.common.errors import ApplicationError
from apps.reviews.models import AlertLevel, RectificationCase
from apps.reviews.services import _base
from apps.workdays.calendar import add_working_days

# R3: the call-back within ONE working day is the national rule, not a local setting.
CALLBACK_WORKING_DAYS = 1


def callback_due_on(moment: datetime) -> date:
    """R3: the working day after the review's date — a review on Friday evening (or on a
    weekend, or before a holiday) is due on the next working day."""
    return add_working_days(_base.day_of(moment), CALLBACK_WORKING_DAYS)


def rectify_due_on(start: date, days: int | None = None) -> date:
    """R7: complex cases are fixed within the configured working days (default 5); a
    department may promise fewer, never more."""
    limit = settings.REVIEWS_RECTIFY_WORKING_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ApplicationError(
            _("整改期限应为1至%(n)d个工作日。") % {"n": limit},
            code="invalid_deadline",
            extra={"field": "days"},
        )
    return add_working_days(start, days)


def set_stage(case: RectificationCase, *, due_on: date | None, remind_on: date | None) -> None:
    """Start a new deadline (or none): supervision starts over for it."""
    case.due_on = due_on
    case.remind_on = remind_on
    case.alert_level = AlertLevel.NONE


def start_rectifying(case: RectificationCase, today: date, days: int | None = None) -> None:
    """Reminded one working day before the deadline; late from the day after it."""
    due = rectify_due_on(today, days)
    case.rectify_due_on = due
    set_stage(case, due_on=due, remind_on=max(today, add_working_days(due, -1)))
