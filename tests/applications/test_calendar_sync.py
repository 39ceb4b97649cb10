"""Deadlines follow the calendar (DOMAIN A7, A4a, A15, T2; issue 7): a calendar change
recomputes the open cases whose window reaches the changed days, once, and nothing else.

Each test makes the change through the calendar services (as the admin does), checks what
they queue after commit, and then runs the dispatch task's body in-process.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.applications import services
from apps.applications.models import (
    Application,
    ApplicationMaterial,
    TimelineEvent,
    ToleratedMaterial,
)
from apps.applications.services.calendar_sync import application_deadlines_follow_calendar
from apps.applications.services.clock import clock_fields
from apps.applications.workflow import State
from apps.notifications.models import Notification
from apps.workdays.calendar import SHANGHAI, deadline_for, default_store
from apps.workdays.changes import as_event, calendar_change_dispatch
from apps.workdays.models import CalendarChange, CalendarDay, CalendarYear
from apps.workdays.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_from_package,
)
from apps.workdays.tasks import dispatch_calendar_change
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    main_material,
    tolerable_material,
)
from tests.tolerance.helpers import pledge_on_record

D = datetime.date
pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def change_calendar(django_capture_on_commit_callbacks):
    """Run a calendar service like the admin does; after commit it publishes the calendar
    version and queues the recompute. Returns the recorded change (or None)."""

    def run(service, **kwargs) -> CalendarChange | None:
        latest = CalendarChange.objects.order_by("-id").values_list("id", flat=True).first()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            service(**kwargs)
        change = CalendarChange.objects.filter(id__gt=latest or 0).first()
        expected = ["bump_version", "send_calendar_change"] if change else ["bump_version"]
        assert [c.__name__ for c in callbacks] == expected
        for callback in callbacks:
            if callback.__name__ == "bump_version":
                callback()  # the broker send is tested in tests/workdays/test_changes.py
        return change

    return run


def recompute(change: CalendarChange) -> None:
    """What the worker does with the queued task."""
    assert dispatch_calendar_change(change.pk) == "done"


@pytest.fixture
def unpublished_2026():
    """2026 as it was in December 2025: no holiday arrangement loaded yet."""
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    default_store.invalidate()


def test_publishing_a_year_moves_the_due_date_once_with_one_row_and_one_notice(
    unpublished_2026, guide, citizen, window_staff, change_calendar
):
    """A7 + calendar: accepted Mon 2025-12-22 with 10 working days while 2026 was unknown →
    due Mon 2026-01-05 on weekdays only (按暂定日历计算). Publishing 2026 (元旦 01-01..03 off,
    Sun 01-04 调休上班) moves it to Tue 2026-01-06: one timeline row, one notice, mark gone."""
    with time_machine.travel(local(2025, 12, 22, 10, 0), tick=False):
        app = services.application_accept(
            application_id=ApplicationFactory(guide=guide, applicant=citizen).pk,
            actor=window_staff,
        )
    assert (app.due_date, app.yellow_on) == (D(2026, 1, 5), D(2026, 1, 1))
    assert app.calendar_provisional and app.deadline_provisional
    notices_before = Notification.objects.filter(recipient=citizen).count()

    with time_machine.travel(local(2025, 12, 24, 9, 0), tick=False):
        change = change_calendar(calendar_import_from_package, years=[2026])
        recompute(change)

    app.refresh_from_db()
    assert (app.due_date, app.yellow_on) == (D(2026, 1, 6), D(2026, 1, 4))
    assert not app.calendar_provisional and not app.deadline_provisional
    row = app.timeline.get(kind=TimelineEvent.Kind.DEADLINE_RECALCULATED)
    assert row.actor is None and row.visible_to_applicant
    assert "2026-01-05" in row.reason and "2026-01-06" in row.reason
    assert row.payload == {
        "calendar_change_id": change.pk,
        "due_date": ["2026-01-05", "2026-01-06"],
    }
    notices = Notification.objects.filter(recipient=citizen).order_by("id")[notices_before:]
    assert [(n.title, n.channel) for n in notices] == [("办理期限已调整", "inbox")]
    assert "2026-01-06" in notices[0].body
    assert app.history.first().due_date == D(2026, 1, 6)  # audited (simple-history)
    change.refresh_from_db()
    assert change.dispatched_at is not None and change.changed_count == 1


def test_a_change_outside_every_window_touches_nothing(
    guide, citizen, window_staff, change_calendar
):
    """Calendar: a holiday added after every open deadline (and a submitted case's intake
    window) changes no case, writes no row, sends nothing — not even a history row."""
    with time_machine.travel(local(2026, 3, 2, 10, 0), tick=False):
        accepted = services.application_accept(
            application_id=ApplicationFactory(guide=guide, applicant=citizen).pk,
            actor=window_staff,
        )
        submitted = ApplicationFactory(guide=guide, applicant=citizen)
    snapshot = list(Application.objects.order_by("pk").values())
    history = Application.history.count()
    timeline = TimelineEvent.objects.count()
    notices = Notification.objects.count()

    change = change_calendar(calendar_day_set, date=D(2026, 7, 15), is_workday=False)
    recompute(change)

    assert list(Application.objects.order_by("pk").values()) == snapshot
    assert Application.history.count() == history
    assert TimelineEvent.objects.count() == timeline
    assert Notification.objects.count() == notices
    assert accepted.due_date < D(2026, 7, 15) and submitted.intake_due_date < D(2026, 7, 15)
    change.refresh_from_db()
    assert change.dispatched_at is not None and change.changed_count == 0


def test_running_the_recompute_twice_changes_nothing_the_second_time(
    guide, citizen, change_calendar
):
    """Calendar, A15: the task run again, a redelivered task, or the listener started over
    from scratch finds every date already right: no second row, no second notice."""
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=local(2026, 3, 2, 9))
    assert app.due_date == D(2026, 3, 16)
    change = change_calendar(calendar_day_set, date=D(2026, 3, 10), is_workday=False)
    recompute(change)
    app.refresh_from_db()
    assert app.due_date == D(2026, 3, 17)
    rows, notices, history = (
        TimelineEvent.objects.count(),
        Notification.objects.count(),
        Application.history.count(),
    )

    assert dispatch_calendar_change(change.pk) == "done"  # a redelivered task
    step = application_deadlines_follow_calendar(change=as_event(change), cursor=None)
    while step.cursor is not None:  # the listener from scratch, e.g. after a lost cursor
        assert step.changed == 0
        step = application_deadlines_follow_calendar(change=as_event(change), cursor=step.cursor)
    assert step.changed == 0

    app.refresh_from_db()
    assert app.due_date == D(2026, 3, 17)
    assert (
        TimelineEvent.objects.count(),
        Notification.objects.count(),
        Application.history.count(),
    ) == (rows, notices, history)


def test_a_make_up_workday_moves_the_due_date_earlier(guide, citizen, change_calendar):
    """A7: the limit is counted in working days, so a new working day inside the window
    brings the decision deadline forward (it binds the department)."""
    app = accepted_application(guide=guide, applicant=citizen, accepted_at=local(2026, 3, 2, 9))
    recompute(change_calendar(calendar_day_set, date=D(2026, 3, 7), is_workday=True))  # a Sat
    app.refresh_from_db()
    assert app.due_date == D(2026, 3, 13)
    assert app.timeline.get(kind=TimelineEvent.Kind.DEADLINE_RECALCULATED).payload["due_date"] == [
        "2026-03-16",
        "2026-03-13",
    ]


def test_the_intake_deadline_of_a_submitted_case_follows_the_calendar(
    guide, citizen, change_calendar
):
    """A4a: the 5-working-day intake deadline moves with a holiday inside it."""
    app = ApplicationFactory(guide=guide, applicant=citizen, received=local(2026, 3, 2, 10))
    assert app.intake_due_date == D(2026, 3, 9)
    recompute(change_calendar(calendar_day_set, date=D(2026, 3, 4), is_workday=False))
    app.refresh_from_db()
    assert app.intake_due_date == D(2026, 3, 10)
    row = app.timeline.get(kind=TimelineEvent.Kind.DEADLINE_RECALCULATED)
    assert "受理决定期限" in row.reason


def test_a_suspended_case_keeps_its_pause(guide, citizen, window_staff, change_calendar):
    """A8: the recompute counts the running special procedure like the clock code does."""
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        app = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    with time_machine.travel(local(2026, 3, 4, 9, 0), tick=False):
        services.application_suspend(
            application_id=app.pk, actor=window_staff, kind="site_inspection", reason="现场勘验"
        )
    app.refresh_from_db()
    before = app.due_date
    recompute(change_calendar(calendar_day_set, date=D(2026, 3, 20), is_workday=False))
    app.refresh_from_db()
    assert app.due_date > before
    assert app.due_date == clock_fields(app)["due_date"]
    assert app.due_date == deadline_for(
        accepted_at=app.accepted_at,
        working_days=10,
        suspensions=[(D(2026, 3, 4), D(2026, 3, 11))],  # 5 working days of inspection
    )


def test_tolerated_supplement_deadline_is_extended_never_shortened(
    guide, citizen, window_staff, change_calendar
):
    """T2: a holiday inside a tolerated material's period extends its deadline (the
    applicant is told); taking the holiday back does not shorten it again, while the
    decision deadline follows the calendar both ways."""
    with time_machine.travel(local(2026, 3, 2, 10, 0), tick=False):
        app = ApplicationFactory(guide=guide, applicant=citizen)
        ApplicationMaterial.objects.create(
            application=app, guide_material=main_material(guide), e_licence_reference="L-1"
        )
        pledge_on_record(app)  # the tolerance app's record of the signed pledge (T1)
        services.application_accept_tolerant(
            application_id=app.pk,
            actor=window_staff,
            missing_material_ids=[tolerable_material(guide).pk],
            pledge_signed=True,
        )
    material = ToleratedMaterial.objects.get(application=app)
    assert material.due_date == D(2026, 3, 5)  # 3 working days

    recompute(change_calendar(calendar_day_set, date=D(2026, 3, 4), is_workday=False))
    material.refresh_from_db()
    app.refresh_from_db()
    assert material.due_date == app.supplement_due_date == D(2026, 3, 6)
    assert app.due_date == D(2026, 3, 17)
    row = app.timeline.get(kind=TimelineEvent.Kind.DEADLINE_RECALCULATED)
    assert "容缺材料补齐期限" in row.reason

    recompute(change_calendar(calendar_day_delete, date=D(2026, 3, 4)))
    material.refresh_from_db()
    app.refresh_from_db()
    assert material.due_date == app.supplement_due_date == D(2026, 3, 6)  # kept
    assert app.due_date == D(2026, 3, 16)  # back


def test_a_renamed_holiday_records_no_change(change_calendar):
    """Only a change between working day and rest day (or of a year's publication) can
    move a deadline; a new name or note records nothing and queues no recompute."""
    assert (
        change_calendar(calendar_day_set, date=D(2025, 10, 1), is_workday=False, name="国庆")
        is None
    )
    assert (
        change_calendar(calendar_day_set, date=D(2025, 10, 1), is_workday=False, note="x") is None
    )
    assert not CalendarChange.objects.exists()


def test_recompute_queries_do_not_grow_with_open_cases_outside_the_window(
    guide, citizen, change_calendar
):
    """A15 / calendar: the selection is an index range starting at the changed day, so
    open cases whose deadline falls before it are never read: the same queries with 3 or
    with 30 of them."""
    for _ in range(2):
        accepted_application(guide=guide, applicant=citizen, accepted_at=local(2026, 6, 1, 9))

    def measure(outside: int, holiday: datetime.date) -> int:
        for _ in range(outside):
            accepted_application(guide=guide, applicant=citizen, accepted_at=local(2026, 3, 2, 9))
        change = change_calendar(calendar_day_set, date=holiday, is_workday=False)
        with CaptureQueriesContext(connection) as queries:
            calendar_change_dispatch(change_id=change.pk)
        change.refresh_from_db()
        assert change.changed_count == 2
        return len(queries)

    # Both changes move the two cases later (a moved case is met once more further on in
    # the walk and found right), so the two runs do the same work.
    small = measure(3, holiday=D(2026, 6, 10))
    large = measure(27, holiday=D(2026, 6, 11))
    assert Application.objects.filter(due_date__lt=D(2026, 6, 1)).count() == 30
    assert small == large
