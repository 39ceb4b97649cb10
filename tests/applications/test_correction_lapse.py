"""A correction notice not answered by its deadline: the application is deemed withdrawn
(DOMAIN A5 one-time notice with a deadline, T3 by analogy, A15 electronic supervision)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection

from apps.applications import selectors, services
from apps.applications.due_selectors import lapsed_corrections
from apps.applications.models import Application, CorrectionRequest, TimelineEvent
from apps.applications.services.supervision import (
    application_deem_withdrawn,
    supervise_applications,
)
from apps.applications.tasks import supervise_applications as supervise_task
from apps.applications.workflow import ALLOWED_TRANSITIONS, State
from apps.common.errors import ApplicationError
from apps.notifications.models import Notification
from apps.workdays.calendar import SHANGHAI
from tests.applications.factories import ApplicationFactory, main_material, upload_corrections

REASON = "逾期未补正，视为撤回申请"
TITLE = "申请已视为撤回"
REQUESTED = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)  # Monday
DEADLINE = datetime.date(2026, 3, 19)  # Thursday


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def _awaiting_correction(guide, citizen, window_staff, deadline=DEADLINE) -> Application:
    """A submitted application given a one-time correction notice (A5) through the service."""
    with at(REQUESTED):
        app = ApplicationFactory(guide=guide, applicant=citizen, received=REQUESTED)
        services.application_request_correction(
            application_id=app.pk,
            actor=window_staff,
            items=[(main_material(guide).pk, "缺少签名")],
            deadline=deadline,
        )
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED
    return app


def _fast(guide, citizen, window_staff, deadline=DEADLINE) -> Application:
    """The same state written directly (for the batch tests)."""
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.CORRECTION_REQUESTED)
    CorrectionRequest.objects.create(
        application=app, requested_by=window_staff, deadline=deadline, remind_on=deadline
    )
    return app


def _withdrawal_notices(citizen):
    return Notification.objects.filter(recipient=citizen, title=TITLE)


def test_edge_correction_requested_to_withdrawn_is_allowed():
    assert State.WITHDRAWN in ALLOWED_TRANSITIONS[State.CORRECTION_REQUESTED]


def test_a5_not_lapsed_on_the_deadline_day(guide, citizen, window_staff):
    """A5: the deadline day itself still counts, up to its last minute (Beijing time)."""
    app = _awaiting_correction(guide, citizen, window_staff)
    for moment in (local(2026, 3, 19, 0, 1), local(2026, 3, 19, 23, 59)):
        with at(moment):
            assert supervise_applications().deemed_withdrawn == 0
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED
    assert not _withdrawal_notices(citizen).exists()


def test_a5_t3_lapsed_the_day_after_is_deemed_withdrawn(
    guide, citizen, window_staff, django_capture_on_commit_callbacks
):
    """A5/T3: the first minute of the next calendar day → 视为撤回申请; the notice is
    closed, the application finished as withdrawn, the SMS queued after commit."""
    app = _awaiting_correction(guide, citizen, window_staff)
    # 00:01 in Beijing is still 3月19日 in UTC: the day is the local one.
    with at(local(2026, 3, 20, 0, 1)), django_capture_on_commit_callbacks() as callbacks:
        report = supervise_applications()
    assert report.deemed_withdrawn == 1
    assert callbacks  # the SMS goes out only once the withdrawal is committed
    app.refresh_from_db()
    assert app.state == State.WITHDRAWN and app.outcome == State.WITHDRAWN
    assert app.decided_at is not None
    correction = app.corrections.get()
    assert correction.lapsed_at is not None and correction.answered_at is None


def test_a5_timeline_row_is_visible_to_the_applicant(guide, citizen, window_staff):
    """A10/A5: the applicant sees why the application ended, with no staff actor."""
    app = _awaiting_correction(guide, citizen, window_staff)
    with at(local(2026, 3, 20, 9)):
        supervise_applications()
    event = selectors.application_timeline(application=app, for_applicant=True).last()
    assert (event.from_state, event.to_state) == (State.CORRECTION_REQUESTED, State.WITHDRAWN)
    assert event.kind == TimelineEvent.Kind.TRANSITION
    assert event.reason == REASON and event.visible_to_applicant and event.actor is None
    assert event.payload["correction_id"] == app.corrections.get().pk


def test_a14_applicant_told_once_materials_returned_and_may_apply_again(
    guide, citizen, window_staff
):
    """A14: one message per channel, saying the materials are returned and a new
    application may be made."""
    app = _awaiting_correction(guide, citizen, window_staff)
    with at(local(2026, 3, 20, 9)):
        supervise_applications()
        supervise_applications()
    notices = _withdrawal_notices(citizen)
    assert sorted(notices.values_list("channel", flat=True)) == ["inbox", "sms"]
    body = notices.first().body
    assert app.number in body and "退回" in body and "重新提交" in body


def test_a15_idempotent_second_run_changes_nothing(
    guide, citizen, window_staff, django_capture_on_commit_callbacks
):
    """A15: a second run, a later day and the Celery task path find nothing new."""
    app = _awaiting_correction(guide, citizen, window_staff)
    with at(local(2026, 3, 20, 9)):
        first = supervise_applications()
    events = app.timeline.count()
    history = app.history.count()
    with at(local(2026, 3, 20, 9, 15)), django_capture_on_commit_callbacks() as callbacks:
        second = supervise_applications()
    with at(local(2026, 3, 23, 9)):
        third = supervise_task.apply().get()
    assert (first.deemed_withdrawn, second.deemed_withdrawn, third["deemed_withdrawn"]) == (
        1,
        0,
        0,
    )
    assert not callbacks
    assert (app.timeline.count(), app.history.count()) == (events, history)
    assert _withdrawal_notices(citizen).count() == 2  # inbox + SMS, once


def test_a5_answered_correction_never_lapses(guide, citizen, window_staff):
    """A5: a notice answered in time is closed; nothing lapses however late the run."""
    app = _awaiting_correction(guide, citizen, window_staff)
    with at(local(2026, 3, 18, 15)):
        upload_corrections(app, citizen)
        services.application_resubmit_correction(application_id=app.pk, actor=citizen)
    with at(local(2026, 3, 20, 9)):
        assert supervise_applications().deemed_withdrawn == 0
    app.refresh_from_db()
    assert app.state == State.SUBMITTED  # intake runs again (A4a), not a lapse
    with at(local(2026, 4, 30, 9)):
        assert supervise_applications().deemed_withdrawn == 0
    app.refresh_from_db()
    assert app.state != State.WITHDRAWN
    assert not _withdrawal_notices(citizen).exists()
    assert not app.timeline.filter(reason=REASON).exists()


def test_a5_applicant_withdrew_first_notice_closed_quietly(guide, citizen, window_staff):
    """Withdrawn by the applicant before the deadline: no second withdrawal and no message,
    but the open notice is closed so no later run reads it again."""
    app = _awaiting_correction(guide, citizen, window_staff)
    with at(local(2026, 3, 12, 9)):
        services.application_withdraw(application_id=app.pk, actor=citizen)
    with at(local(2026, 3, 20, 9)):
        assert supervise_applications().deemed_withdrawn == 0
        assert not lapsed_corrections(datetime.date(2026, 3, 20)).exists()
    assert not _withdrawal_notices(citizen).exists()
    assert app.timeline.filter(reason=REASON).count() == 0


def test_a15_batches_cover_every_lapsed_application(guide, citizen, window_staff):
    """Keyset chunks: 7 lapsed (and 2 still in time) with a batch of 3."""
    lapsed = [
        _fast(guide, citizen, window_staff, DEADLINE - datetime.timedelta(days=n % 3))
        for n in range(7)
    ]
    in_time = [_fast(guide, citizen, window_staff, DEADLINE + datetime.timedelta(days=1))]
    in_time.append(_fast(guide, citizen, window_staff, DEADLINE + datetime.timedelta(days=5)))
    with at(local(2026, 3, 20, 9)):
        report = supervise_applications(batch_size=3)
    assert report.deemed_withdrawn == 7
    states = dict(Application.objects.values_list("pk", "state"))
    assert {states[a.pk] for a in lapsed} == {State.WITHDRAWN}
    assert {states[a.pk] for a in in_time} == {State.CORRECTION_REQUESTED}
    assert TimelineEvent.objects.filter(reason=REASON).count() == 7


def test_a15_lapse_selection_uses_the_partial_index(guide, citizen, window_staff):
    """The selection is a range over ``correction_lapse_idx`` (open notices only), so its
    cost follows the lapsed notices, not every open application."""
    _fast(guide, citizen, window_staff)
    qs = lapsed_corrections(datetime.date(2026, 3, 20)).order_by("deadline", "pk")
    sql, params = qs.values_list("deadline", "pk")[:500].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "correction_lapse_idx" in plan


def test_a5_service_refuses_before_the_deadline_has_passed(guide, citizen, window_staff):
    app = _awaiting_correction(guide, citizen, window_staff)
    with pytest.raises(ApplicationError) as excinfo:
        application_deem_withdrawn(application_id=app.pk, today=DEADLINE)
    assert excinfo.value.code == "correction_not_lapsed"
    app.refresh_from_db()
    assert app.state == State.CORRECTION_REQUESTED


def test_a15_open_corrections_in_time_cost_nothing_extra(
    guide, citizen, window_staff, django_assert_max_num_queries
):
    """Many open notices still in time: the whole pass stays a handful of index look-ups."""
    for n in range(1, 21):  # reminder day = deadline (``_fast``): none due today either
        _fast(guide, citizen, window_staff, DEADLINE + datetime.timedelta(days=n))
    with at(local(2026, 3, 19, 9)), django_assert_max_num_queries(6):
        report = supervise_applications()
    assert report.deemed_withdrawn == 0
