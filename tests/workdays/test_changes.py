"""Calendar changes as an outbox (DOMAIN A7, A15; issue 7): recorded with the edit, sent
to the calendar-changed listeners after commit, resumable, swept when the task is lost.

The listeners here are stand-ins registered for one test; the applications' real listener
is tested in tests/applications/test_calendar_sync.py.
"""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.utils import timezone

from apps.workdays import hooks
from apps.workdays.changes import (
    CalendarState,
    Outcome,
    calendar_change_dispatch,
    changed_spans,
    pending_calendar_change_ids,
)
from apps.workdays.hooks import ListenerStep, calendar_changed_listeners
from apps.workdays.models import CalendarChange, CalendarYear
from apps.workdays.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_from_package,
    calendar_year_delete,
    calendar_year_set,
)
from apps.workdays.tasks import dispatch_calendar_change, dispatch_pending_calendar_changes
from govservice.celery import app as celery_app

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def only_listener():
    """Replace the registered listeners by one stand-in for the test."""
    saved = dict(hooks._listeners)
    hooks._listeners.clear()

    def install(listener):
        hooks.register_calendar_changed("test.listener", listener)
        return listener

    yield install
    hooks._listeners.clear()
    hooks._listeners.update(saved)


class Steps:
    """A listener that works through ``total`` items, one per call, recording its calls."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.calls: list[tuple[int, str | None]] = []

    def __call__(self, *, change, cursor):
        self.calls.append((change.change_id, cursor))
        done = 0 if cursor is None else int(cursor)
        if done >= self.total:
            return ListenerStep(cursor=None)
        return ListenerStep(cursor=str(done + 1), changed=1)


@pytest.fixture
def broker_down():
    """The Celery broker unreachable (a closed port), as during a Redis outage."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_write_url)
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    conf.broker_url, conf.broker_write_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


# --- What a change is ---------------------------------------------------------------------


def test_changed_spans_merge_days_and_whole_years():
    before = CalendarState(overrides={D(2027, 1, 1): False}, published=frozenset({2026}))
    after = CalendarState(
        overrides={D(2027, 1, 1): False, D(2026, 5, 4): False, D(2026, 5, 5): False},
        published=frozenset({2026, 2027}),
    )
    assert changed_spans(before, after) == [
        (D(2026, 5, 4), D(2026, 5, 5)),  # two adjacent days: one span
        (D(2027, 1, 1), D(2027, 12, 31)),  # 2027 became published
    ]
    assert changed_spans(after, after) == []
    # A stored day equal to the weekday rule changes nothing (an admin pinning a Monday).
    pinned = CalendarState(
        overrides={D(2027, 1, 1): False, D(2026, 3, 2): True}, published=frozenset({2026})
    )
    assert changed_spans(before, pinned) == []


def test_each_service_records_what_can_move_a_deadline():
    """Day set/delete and year set/delete record a change when a working day flips or a
    year's publication changes; nothing else does."""
    calendar_day_set(date=D(2026, 7, 15), is_workday=False, name="测试")
    calendar_day_set(date=D(2026, 7, 15), is_workday=False, name="改名")  # same status
    calendar_day_delete(date=D(2026, 7, 15))
    calendar_year_set(year=2027, status=CalendarYear.Status.PROVISIONAL)  # still unpublished
    calendar_year_set(year=2027, status=CalendarYear.Status.PUBLISHED)
    calendar_year_delete(year=2027)
    assert calendar_import_from_package(years=[2026]) == 0  # already matches: no write
    changes = list(CalendarChange.objects.order_by("id"))
    assert [(c.summary, c.spans) for c in changes] == [
        ("2026-07-15 设为放假", [["2026-07-15", "2026-07-15"]]),
        ("2026-07-15 恢复按星期计算", [["2026-07-15", "2026-07-15"]]),
        ("2027 年日历标记为已发布（国务院办公厅通知）", [["2027-01-01", "2027-12-31"]]),
        ("2027 年日历已移除", [["2027-01-01", "2027-12-31"]]),
    ]
    assert all(c.dispatched_at is None for c in changes)


def test_the_change_is_sent_after_commit_to_the_broker(
    system_admin, django_capture_on_commit_callbacks
):
    """The recompute task is queued once the edit committed, on the real broker."""

    def queued() -> list[dict]:
        with celery_app.connection_for_write() as connection:
            raw = connection.default_channel.client.lrange("celery", 0, -1)
        return [
            json.loads(message)["headers"]
            for message in raw
            if json.loads(message)["headers"]["task"]
            == "apps.workdays.tasks.dispatch_calendar_change"
        ]

    before = {headers["id"] for headers in queued()}
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=D(2026, 7, 15), is_workday=False, actor=system_admin)
    change = CalendarChange.objects.get()
    assert change.actor == system_admin
    new = [headers for headers in queued() if headers["id"] not in before]
    assert [headers["argsrepr"] for headers in new] == [f"({change.pk},)"]


def test_a_broker_outage_after_commit_keeps_the_edit_and_leaves_it_to_the_sweep(
    broker_down, django_capture_on_commit_callbacks, caplog
):
    """The calendar edit is committed whatever the broker does: the failed send is logged,
    never raised, and the change stays pending, so the sweep sends it later."""
    caplog.set_level(logging.ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=D(2026, 7, 15), is_workday=False)
    change = CalendarChange.objects.get()
    assert "send_calendar_change" in caplog.text
    assert pending_calendar_change_ids() == [change.pk]


def test_the_applications_listener_is_registered():
    """Layers: applications registers into the calendar's hook (AppConfig.ready)."""
    names = [name for name, _listener in calendar_changed_listeners()]
    assert "applications.deadlines" in names


# --- Dispatching ---------------------------------------------------------------------------


def _change() -> CalendarChange:
    calendar_day_set(date=D(2026, 7, 15), is_workday=False)
    return CalendarChange.objects.get()


def test_dispatch_calls_the_listener_to_the_end_and_saves_progress(only_listener):
    listener = only_listener(Steps(3))
    change = _change()
    assert calendar_change_dispatch(change_id=change.pk) is Outcome.DONE
    assert [cursor for _id, cursor in listener.calls] == [None, "1", "2", "3"]
    change.refresh_from_db()
    assert change.dispatched_at is not None and change.claimed_until is None
    assert change.progress == {"test.listener": {"cursor": None, "done": True, "changed": 3}}
    # A finished change is a no-op: a redelivered task does not call the listener again.
    assert dispatch_calendar_change(change.pk) == "done"
    assert len(listener.calls) == 4


def test_a_spent_time_budget_stops_and_the_next_run_resumes(only_listener):
    """A run ends on its own well inside the task's time limit; the next run continues
    from the saved cursor instead of starting over."""
    listener = only_listener(Steps(3))
    change = _change()
    assert calendar_change_dispatch(change_id=change.pk, time_budget=0) is Outcome.MORE
    change.refresh_from_db()
    assert change.dispatched_at is None and change.claimed_until is None
    assert change.progress["test.listener"] == {"cursor": "1", "done": False, "changed": 1}
    assert pending_calendar_change_ids() == [change.pk]
    assert calendar_change_dispatch(change_id=change.pk) is Outcome.DONE
    assert [cursor for _id, cursor in listener.calls] == [None, "1", "2", "3"]


def test_runs_of_one_change_never_overlap(only_listener):
    """A run holds a lease; another run (the sweep, a duplicate task) leaves the change
    alone until the lease ends, e.g. when the worker holding it was killed."""
    listener = only_listener(Steps(1))
    change = _change()
    CalendarChange.objects.filter(pk=change.pk).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert calendar_change_dispatch(change_id=change.pk) is Outcome.BUSY
    assert pending_calendar_change_ids() == []  # not swept while leased
    assert listener.calls == []
    CalendarChange.objects.filter(pk=change.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert pending_calendar_change_ids() == [change.pk]
    assert calendar_change_dispatch(change_id=change.pk) is Outcome.DONE


def test_a_failing_listener_releases_the_lease_for_the_sweep(only_listener):
    def broken(*, change, cursor):
        raise RuntimeError("listener bug")

    only_listener(broken)
    change = _change()
    with pytest.raises(RuntimeError):
        calendar_change_dispatch(change_id=change.pk)
    change.refresh_from_db()
    assert change.claimed_until is None and change.dispatched_at is None
    assert pending_calendar_change_ids() == [change.pk]


def test_the_sweep_resends_pending_changes(only_listener, django_capture_on_commit_callbacks):
    only_listener(Steps(0))
    pending = _change()
    calendar_day_set(date=D(2026, 7, 16), is_workday=False)
    done = CalendarChange.objects.exclude(pk=pending.pk).get()
    calendar_change_dispatch(change_id=done.pk)
    assert pending_calendar_change_ids() == [pending.pk]
    assert dispatch_pending_calendar_changes() == 1


# --- Admin ---------------------------------------------------------------------------------


def test_administrators_and_supervisors_read_the_changes_nobody_edits_them(
    client, system_admin, supervisor, window_staff
):
    calendar_day_set(date=D(2026, 7, 15), is_workday=False, actor=system_admin)
    change = CalendarChange.objects.get()
    changelist = "/admin/workdays/calendarchange/"
    page = f"{changelist}{change.pk}/change/"
    for user in (system_admin, supervisor):
        client.force_login(user)
        body = client.get(changelist).content.decode()
        assert "2026-07-15 设为放假" in body and "待重算" in body
        detail = client.get(page)
        assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
        assert client.post(f"{page[: -len('change/')]}delete/").status_code == 403
    client.force_login(window_staff)
    assert client.get(changelist).status_code == 403
