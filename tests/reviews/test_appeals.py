"""Appeals (申诉复核, DOMAIN R4, R7): filed by the department, decided by a supervisor;
upheld, the review leaves every figure and stays on record."""

from __future__ import annotations

import pytest

from apps.common.errors import ApplicationError
from apps.reviews import services
from apps.reviews.models import Appeal, Review, ReviewDayRollup, ReviewMonthRollup
from apps.reviews.selectors import raw, stats
from apps.reviews.workflow import AppealState, CaseState, Outcome
from tests.accounts.factories import UserFactory
from tests.reviews.factories import review


def _rollups_equal_raw() -> None:
    assert raw.rollup_counts(ReviewDayRollup) == raw.raw_day_counts()
    assert raw.rollup_counts(ReviewMonthRollup) == raw.raw_month_counts()
    assert raw.rollup_case_counts() == raw.raw_case_counts()


def test_upheld_appeal_changes_the_score_and_keeps_the_review(
    department, citizen, approver, supervisor
):
    """R4: an upheld appeal excludes the review from scores; the review stays on record."""
    for _n in range(3):
        review(department, UserFactory(), "very_satisfied")
    bad = review(department, citizen, "very_dissatisfied")
    scope = stats.Scope(start=bad.day.replace(day=1), end=bad.day.replace(day=1))
    assert stats.totals(scope).satisfaction_rate == 75.0
    appeal = services.appeal_file(
        review_id=bad.pk, actor=approver, ground="malicious", reason="评价人当日并未到窗口办事。"
    )
    assert appeal.state == AppealState.PENDING
    appeal = services.appeal_decide(
        appeal_id=appeal.pk, actor=supervisor, upheld=True, note="经调取录像，情况属实。"
    )
    assert appeal.state == AppealState.UPHELD and appeal.decided_by == supervisor
    bad.refresh_from_db()
    assert bad.excluded is True and Review.objects.filter(pk=bad.pk).exists()
    assert stats.totals(scope).satisfaction_rate == 100.0
    assert bad.case.state == CaseState.EXCLUDED
    assert stats.case_totals(scope).opened == 0
    _rollups_equal_raw()
    assert appeal.history.count() == 2


def test_an_appeal_on_a_decided_review_is_refused(department, citizen, approver, supervisor):
    bad = review(department, citizen, "very_dissatisfied", anonymous=True)
    appeal = services.appeal_file(
        review_id=bad.pk, actor=approver, ground="misdirected", reason="非本部门受理的业务。"
    )
    with pytest.raises(ApplicationError) as pending:
        services.appeal_file(review_id=bad.pk, actor=approver, ground="malicious", reason="再申诉")
    services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=False, note="理由不足。")
    with pytest.raises(ApplicationError) as decided:
        services.appeal_file(review_id=bad.pk, actor=approver, ground="malicious", reason="再申诉")
    with pytest.raises(ApplicationError) as twice:
        services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=True, note="改判")
    assert (pending.value.code, decided.value.code, twice.value.code) == (
        "appeal_pending",
        "appeal_decided",
        "appeal_decided",
    )
    assert Appeal.objects.get().state == AppealState.REFUSED
    bad.refresh_from_db()
    assert bad.excluded is False
    _rollups_equal_raw()


def test_malicious_outcome_files_the_appeal_and_a_refusal_sends_it_to_rectify(
    department, citizen, approver, supervisor
):
    case = review(department, citizen, "dissatisfied").case
    case = services.case_record_callback(
        case_id=case.pk,
        actor=approver,
        outcome=Outcome.MALICIOUS,
        note="评价人多次恶意差评，与办理无关。",
    )
    assert case.state == CaseState.APPEALED and case.due_on is None
    appeal = Appeal.objects.get(review=case.review)
    services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=False, note="不属恶意。")
    case.refresh_from_db()
    assert case.state == CaseState.RECTIFYING and case.rectify_due_on is not None
    _rollups_equal_raw()


def test_window_staff_cannot_mark_malicious(department, citizen, window_staff):
    case = review(department, citizen, "dissatisfied").case
    with pytest.raises(ApplicationError) as exc:
        services.case_record_callback(
            case_id=case.pk, actor=window_staff, outcome=Outcome.MALICIOUS, note="恶意"
        )
    assert exc.value.status_code == 403


def test_who_may_appeal_and_decide(department, citizen, window_staff, other_dept_staff, approver):
    bad = review(department, citizen, "dissatisfied", anonymous=True)
    for actor in (window_staff, other_dept_staff, citizen):
        with pytest.raises(ApplicationError) as exc:
            services.appeal_file(review_id=bad.pk, actor=actor, ground="malicious", reason="x")
        assert exc.value.status_code == 403
    appeal = services.appeal_file(review_id=bad.pk, actor=approver, ground="malicious", reason="x")
    with pytest.raises(ApplicationError) as exc:
        services.appeal_decide(appeal_id=appeal.pk, actor=approver, upheld=True, note="自己批")
    assert exc.value.status_code == 403
    assert Appeal.objects.get().state == AppealState.PENDING


def test_upheld_appeal_of_a_handled_case_takes_it_out_of_the_case_figures(
    department, citizen, approver, supervisor, window_staff
):
    case = review(department, citizen, "dissatisfied").case
    services.case_record_callback(
        case_id=case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="已处理。"
    )
    _rollups_equal_raw()
    appeal = services.appeal_file(
        review_id=case.review_id, actor=approver, ground="misdirected", reason="非本部门。"
    )
    services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=True, note="属实。")
    case.refresh_from_db()
    assert case.state == CaseState.EXCLUDED
    _rollups_equal_raw()
