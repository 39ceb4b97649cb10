"""Handling a real-name bad review (DOMAIN R3, R4, R7): the call-back within one working
day on the official calendar, the outcomes, telling the reviewer, the re-visit, 督办."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.common.errors import ApplicationError
from apps.notifications.models import Notification
from apps.reviews import services
from apps.reviews.models import CaseEvent, RectificationCase
from apps.reviews.selectors.reviews import case_scope_for_staff
from apps.reviews.workflow import CaseState, Outcome
from tests.reviews.factories import review

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def bad_review(department, citizen, when: datetime):
    with time_machine.travel(when, tick=False):
        return review(department, citizen, "very_dissatisfied")


@pytest.mark.parametrize(
    ("given", "due"),
    [
        # R3: Friday evening → the next working day is Monday.
        (at(2025, 3, 14, 19, 30), date(2025, 3, 17)),
        # A Saturday → Monday.
        (at(2025, 3, 15, 10, 0), date(2025, 3, 17)),
        # The eve of National Day 2025 (holiday 1–8 October) → Thursday 9 October.
        (at(2025, 9, 30, 20, 0), date(2025, 10, 9)),
        # Friday 26 September 2025 → Sunday 28 September, a make-up working day (调休).
        (at(2025, 9, 26, 18, 0), date(2025, 9, 28)),
        # An ordinary Tuesday → Wednesday.
        (at(2025, 3, 11, 9, 0), date(2025, 3, 12)),
    ],
)
def test_callback_is_due_within_one_working_day(department, citizen, given, due):
    """R3: the call-back is due the next working day of the official calendar."""
    case = bad_review(department, citizen, given).case
    assert case.state == CaseState.CALLBACK_DUE
    assert case.callback_due_on == due
    assert (case.due_on, case.remind_on) == (due, due)


def test_opening_tells_the_department_and_writes_the_record(department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    assert Notification.objects.filter(recipient=window_staff, category="review").exists()
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.OPENED]
    assert case.history.count() == 1


def test_fixed_now_on_time(department, citizen, window_staff, django_capture_on_commit_callbacks):
    """R3: clear and reasonable → fixed at once; the reviewer is told (inbox + SMS)."""
    case = bad_review(department, citizen, at(2025, 3, 14, 19, 30)).case
    with (
        time_machine.travel(at(2025, 3, 17, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        case = services.case_record_callback(
            case_id=case.pk,
            actor=window_staff,
            outcome=Outcome.FIXED_NOW,
            note="已向评价人致歉，并当场为其补办。",
        )
    assert case.state == CaseState.RECTIFIED
    assert case.callback_on_time is True and case.on_time is True
    assert case.resolved_at is not None
    assert Notification.objects.filter(recipient=citizen, channel="sms").exists()
    assert callbacks, "the SMS is handed to the worker after commit"
    event = case.events.get(kind=CaseEvent.Kind.CALLBACK)
    assert (event.actor, event.from_state, event.to_state) == (
        window_staff,
        CaseState.CALLBACK_DUE,
        CaseState.RECTIFIED,
    )


def test_a_late_callback_is_not_on_time(department, citizen, window_staff):
    case = bad_review(department, citizen, at(2025, 3, 14, 19, 30)).case
    with time_machine.travel(at(2025, 3, 18, 9, 0), tick=False):
        case = services.case_record_callback(
            case_id=case.pk, actor=window_staff, outcome=Outcome.NOT_REASONABLE, note="已解释。"
        )
    assert case.state == CaseState.EXPLAINED
    assert case.callback_on_time is False and case.on_time is False


def test_fix_by_deadline_then_rectify(settings, department, citizen, window_staff):
    """R7: a complex case is fixed within the configured working days (default 5)."""
    settings.REVIEWS_RECTIFY_WORKING_DAYS = 5
    case = bad_review(department, citizen, at(2025, 3, 14, 19, 30)).case
    with time_machine.travel(at(2025, 3, 17, 10, 0), tick=False):
        case = services.case_record_callback(
            case_id=case.pk,
            actor=window_staff,
            outcome=Outcome.FIX_BY_DEADLINE,
            note="系统问题需厂商修复。",
        )
    assert case.state == CaseState.RECTIFYING
    assert case.rectify_due_on == date(2025, 3, 24)
    assert case.remind_on == date(2025, 3, 21)
    with time_machine.travel(at(2025, 3, 24, 16, 0), tick=False):
        case = services.case_rectify(case_id=case.pk, actor=window_staff, note="已修复上线。")
    assert (case.state, case.on_time) == (CaseState.RECTIFIED, True)


def test_rectified_after_the_deadline_is_late(department, citizen, window_staff):
    case = bad_review(department, citizen, at(2025, 3, 14, 19, 30)).case
    with time_machine.travel(at(2025, 3, 17, 10, 0), tick=False):
        services.case_record_callback(
            case_id=case.pk, actor=window_staff, outcome=Outcome.FIX_BY_DEADLINE, note="需整改。"
        )
    with time_machine.travel(at(2025, 3, 25, 9, 0), tick=False):
        case = services.case_rectify(case_id=case.pk, actor=window_staff, note="整改完成。")
    assert case.on_time is False


def test_more_days_than_the_setting_are_refused(settings, department, citizen, window_staff):
    settings.REVIEWS_RECTIFY_WORKING_DAYS = 5
    case = review(department, citizen, "dissatisfied").case
    with pytest.raises(ApplicationError) as exc:
        services.case_record_callback(
            case_id=case.pk,
            actor=window_staff,
            outcome=Outcome.FIX_BY_DEADLINE,
            note="需整改。",
            days=6,
        )
    assert exc.value.code == "invalid_deadline"
    case.refresh_from_db()
    assert case.state == CaseState.CALLBACK_DUE and case.callback_at is None


def test_forbidden_edges_are_refused(department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    with pytest.raises(ApplicationError) as rectify:
        services.case_rectify(case_id=case.pk, actor=window_staff, note="还没回访就整改")
    with pytest.raises(ApplicationError) as revisit:
        services.case_revisit(case_id=case.pk, actor=window_staff, level="satisfied")
    assert rectify.value.status_code == revisit.value.status_code == 409
    services.case_record_callback(
        case_id=case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="已处理。"
    )
    with pytest.raises(ApplicationError):
        services.case_record_callback(
            case_id=case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="再登记一次"
        )


def test_revisit_records_satisfaction(department, citizen, window_staff):
    """R4/R7: the reviewer is re-visited and answers on the five levels."""
    case = review(department, citizen, "dissatisfied").case
    services.case_record_callback(
        case_id=case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="已处理。"
    )
    case = services.case_revisit(
        case_id=case.pk, actor=window_staff, level="satisfied", note="评价人表示满意"
    )
    assert (case.state, case.revisit_level) == (CaseState.REVISITED, "satisfied")
    with pytest.raises(ApplicationError):
        services.case_revisit(case_id=case.pk, actor=window_staff, level="satisfied")


def test_other_departments_and_citizens_cannot_handle(
    department, citizen, other_dept_staff, other_citizen
):
    case = review(department, citizen, "dissatisfied").case
    for actor in (other_dept_staff, other_citizen):
        with pytest.raises(ApplicationError) as exc:
            services.case_record_callback(
                case_id=case.pk, actor=actor, outcome=Outcome.FIXED_NOW, note="越权"
            )
        assert exc.value.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.CALLBACK_DUE


def test_a_note_is_required(department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    with pytest.raises(ApplicationError) as exc:
        services.case_record_callback(
            case_id=case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="  "
        )
    assert exc.value.code == "reason_required"


def test_supervise_once_per_stage(department, citizen, supervisor, approver):
    """督办 (R3, R4): once per case and stage; a second press is refused."""
    case = review(department, citizen, "dissatisfied").case
    services.case_supervise(case_id=case.pk, actor=supervisor, note="请今日内完成回访。")
    with pytest.raises(ApplicationError) as again:
        services.case_supervise(case_id=case.pk, actor=supervisor, note="再督办")
    assert again.value.code == "already_supervised"
    assert case.events.filter(kind=CaseEvent.Kind.SUPERVISED).count() == 1
    assert Notification.objects.filter(recipient=approver, title="差评整改督办").count() == 1


def test_only_supervisors_supervise(department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    with pytest.raises(ApplicationError) as exc:
        services.case_supervise(case_id=case.pk, actor=window_staff, note="自己督办自己")
    assert exc.value.status_code == 403


def test_case_rows_stay_in_scope(department, citizen, window_staff, other_dept_staff, supervisor):
    case = review(department, citizen, "dissatisfied").case
    assert list(case_scope_for_staff(user=window_staff)) == [case]
    assert list(case_scope_for_staff(user=other_dept_staff)) == []
    assert list(case_scope_for_staff(user=supervisor)) == [case]
    assert list(case_scope_for_staff(user=citizen)) == []
    assert RectificationCase.objects.count() == 1
