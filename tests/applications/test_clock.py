"""The clock (DOMAIN A7, A7a, A8, A15) on the official calendar, with frozen time."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from apps.applications import services
from apps.applications.models import WarningLevel
from apps.applications.selectors import remaining_working_days, warning_level
from apps.applications.services.clock import clock_dates
from apps.catalogue.models import ServiceGuide
from apps.workdays.calendar import SHANGHAI, deadline_for, is_workday, working_days_between
from tests.applications.factories import ApplicationFactory, accepted_application, guide_for


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_accepted_before_national_day_counts_working_days_only(department, citizen, window_staff):
    """A7: accepted Fri 2025-09-26, 5 working days: 09-28 (Sun, 调休上班), 09-29, 09-30,
    [10-01..10-08 National Day], 10-09, 10-10 → due 2025-10-10.

    (The issue text guessed 2025-10-13, which is what you get when the 09-28 make-up
    workday is ignored; the official calendar says 10-10.)"""
    guide = guide_for(department, promised=5)
    with time_machine.travel(local(2025, 9, 26, 10, 0), tick=False):
        app = ApplicationFactory(guide=guide, applicant=citizen)
        app = services.application_accept(application_id=app.pk, actor=window_staff)
    assert app.accepted_at == local(2025, 9, 26, 10, 0)
    assert app.due_date == datetime.date(2025, 10, 10)
    assert working_days_between(datetime.date(2025, 9, 26), app.due_date) == 5


def test_the_calendar_knows_the_make_up_days(db):
    """The 09-28 and 10-11 调休 make-up days are working days; 10-01..10-08 are not."""
    assert is_workday(datetime.date(2025, 9, 28)) and is_workday(datetime.date(2025, 10, 11))
    assert not any(is_workday(datetime.date(2025, 10, d)) for d in range(1, 9))


def test_statutory_default_when_the_guide_promises_nothing(department, citizen, window_staff):
    """A7a: 20 working days when the guide has no promised limit."""
    guide = guide_for(department)
    ServiceGuide.objects.filter(pk=guide.pk).update(
        promised_time_limit_days=0, legal_time_limit_days=0
    )
    app = ApplicationFactory(guide=ServiceGuide.objects.get(pk=guide.pk), applicant=citizen)
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        app = services.application_accept(application_id=app.pk, actor=window_staff)
    assert app.time_limit_days == 20
    assert app.due_date == deadline_for(accepted_at=local(2026, 3, 2, 9, 0), working_days=20)


def test_yellow_when_at_most_a_fifth_of_the_limit_remains(db):
    """A15: 10-day limit → yellow with 2 working days left, red after the due date."""
    due, yellow_on = clock_dates(accepted_at=local(2026, 3, 2, 9), time_limit_days=10)
    assert due == datetime.date(2026, 3, 16)
    assert yellow_on == datetime.date(2026, 3, 12)
    assert working_days_between(yellow_on, due) == 2
    assert working_days_between(yellow_on - datetime.timedelta(days=1), due) == 3


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (datetime.date(2026, 3, 11), WarningLevel.GREEN),
        (datetime.date(2026, 3, 12), WarningLevel.YELLOW),
        (datetime.date(2026, 3, 16), WarningLevel.YELLOW),
        (datetime.date(2026, 3, 17), WarningLevel.RED),
    ],
)
def test_warning_level_selector(guide, citizen, today, level):
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=local(2026, 3, 2, 9))
    assert warning_level(app, today) == level


def test_suspension_pauses_the_clock(guide, citizen, window_staff):
    """A8: working days spent in a special procedure do not count."""
    with time_machine.travel(local(2026, 3, 2, 9), tick=False):
        app = accepted_application(guide=guide, applicant=citizen)
        services.application_start_review(application_id=app.pk, actor=window_staff)
    before = app.due_date
    with time_machine.travel(local(2026, 3, 4, 9), tick=False):  # Wednesday
        services.application_suspend(
            application_id=app.pk, actor=window_staff, kind="site_inspection", reason="勘验"
        )
    with time_machine.travel(local(2026, 3, 9, 9), tick=False):  # next Monday
        app = services.application_resume(application_id=app.pk, actor=window_staff)
        # Paused Wed 4 .. Fri 6: three working days added to the limit.
        assert app.due_date == deadline_for(accepted_at=local(2026, 3, 2, 9), working_days=13)
        assert app.due_date > before
        assert remaining_working_days(app) == working_days_between(
            datetime.date(2026, 3, 9), app.due_date
        )
