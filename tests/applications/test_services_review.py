"""Review and decision: special procedures (A8), extension (A7, A7a), approval, denial
(A9), revocation, withdrawal and archiving (A12)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.applications import services
from apps.applications.models import Extension, Suspension, TimelineEvent
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.notifications.models import Notification
from apps.workdays.calendar import add_working_days
from tests.applications.factories import accepted_application


@pytest.fixture
def accepted(guide, citizen):
    return accepted_application(guide=guide, applicant=citizen)


@pytest.fixture
def reviewing(guide, citizen):
    return accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)


def _last_transition(app):
    return (
        TimelineEvent.objects.filter(application=app, kind=TimelineEvent.Kind.TRANSITION)
        .order_by("-id")
        .values_list("from_state", "to_state")
        .first()
    )


def test_start_review(accepted, window_staff):
    app = services.application_start_review(application_id=accepted.pk, actor=window_staff)
    assert app.state == State.UNDER_REVIEW
    assert _last_transition(app) == (State.ACCEPTED, State.UNDER_REVIEW)


def test_start_review_twice_is_forbidden(reviewing, window_staff):
    with pytest.raises(InvalidTransitionError, match="审查中"):
        services.application_start_review(application_id=reviewing.pk, actor=window_staff)


def test_suspend_only_for_procedures_the_guide_lists(reviewing, window_staff):
    """A8: 专家评审 is not in this guide (only 现场勘验)."""
    with pytest.raises(ApplicationError, match="现场勘验"):
        services.application_suspend(
            application_id=reviewing.pk, actor=window_staff, kind="expert_review", reason="x"
        )


def test_suspend_and_resume_pause_the_clock(reviewing, window_staff, citizen):
    """A8: the main clock pauses while the procedure runs; resume recomputes the due date."""
    suspension = services.application_suspend(
        application_id=reviewing.pk,
        actor=window_staff,
        kind="site_inspection",
        reason="需现场核查经营场所",
    )
    assert suspension.limit_days == 5 and suspension.started_on == timezone.localdate()
    app = services.application_resume(application_id=reviewing.pk, actor=window_staff)
    assert app.state == State.UNDER_REVIEW
    assert Suspension.objects.get(pk=suspension.pk).ended_on == timezone.localdate()
    assert app.due_date is not None
    assert Notification.objects.filter(recipient=citizen, title__contains="特别程序").exists()


def test_resume_when_not_suspended_is_forbidden(accepted, window_staff):
    with pytest.raises(InvalidTransitionError):
        services.application_resume(application_id=accepted.pk, actor=window_staff)


def test_extension_once_with_reasons_approved_by_the_head(
    reviewing, window_staff, approver, citizen
):
    """A7/A7a: reasons required, ≤10 working days, approved by the head, applicant told,
    once only."""
    with pytest.raises(ApplicationError):
        services.application_request_extension(
            application_id=reviewing.pk, actor=window_staff, days=5, reason=" "
        )
    with pytest.raises(ApplicationError, match="10"):
        services.application_request_extension(
            application_id=reviewing.pk, actor=window_staff, days=11, reason="复杂"
        )
    extension = services.application_request_extension(
        application_id=reviewing.pk, actor=window_staff, days=10, reason="需征求相关部门意见"
    )
    assert Notification.objects.filter(recipient=approver, title__contains="延期").exists()
    with pytest.raises(PermissionDeniedError):
        services.application_approve_extension(extension_id=extension.pk, actor=window_staff)
    old_due = reviewing.due_date
    services.application_approve_extension(extension_id=extension.pk, actor=approver)
    reviewing.refresh_from_db()
    assert reviewing.extension_days == 10
    assert reviewing.due_date == add_working_days(old_due, 10)
    told = Notification.objects.get(recipient=citizen, channel="sms")
    assert "延长10个工作日" in told.body
    with pytest.raises(ApplicationError, match="一次"):
        services.application_request_extension(
            application_id=reviewing.pk, actor=window_staff, days=1, reason="再延"
        )


def test_refused_extension_leaves_the_clock(reviewing, window_staff, approver):
    extension = services.application_request_extension(
        application_id=reviewing.pk, actor=window_staff, days=3, reason="复杂"
    )
    services.application_approve_extension(
        extension_id=extension.pk, actor=approver, approved=False, note="理由不充分"
    )
    assert Extension.objects.get(pk=extension.pk).status == Extension.Status.REFUSED
    reviewing.refresh_from_db()
    assert reviewing.extension_days == 0


def test_approve_issues_decision_and_licence(reviewing, approver, citizen):
    app = services.application_approve(application_id=reviewing.pk, actor=approver)
    assert app.state == State.APPROVED and app.decided_at is not None
    assert set(app.documents.values_list("kind", flat=True)) == {"approval_decision", "licence"}
    assert Notification.objects.filter(recipient=citizen, title__contains="办结").exists()


def test_deny_states_reasons_and_remedies(reviewing, approver, citizen):
    """A9: reasons and the remedies: complaint, 行政复议 within 60 days, 行政诉讼 6 months."""
    app = services.application_deny(
        application_id=reviewing.pk, actor=approver, reasons="经营场所不符合卫生要求"
    )
    assert app.state == State.DENIED
    for text in (
        app.documents.get().document.body,
        Notification.objects.get(recipient=citizen, channel="inbox", category="application").body,
    ):
        assert "经营场所不符合卫生要求" in text
        assert "60日" in text and "行政复议" in text and "6个月" in text and "投诉" in text


def test_deny_without_reasons_refused(reviewing, approver):
    with pytest.raises(ApplicationError):
        services.application_deny(application_id=reviewing.pk, actor=approver, reasons="")


def test_window_staff_cannot_decide(reviewing, window_staff):
    with pytest.raises(PermissionDeniedError):
        services.application_approve(application_id=reviewing.pk, actor=window_staff)


def test_revoke_acceptance_with_reason_and_notice(accepted, approver):
    app = services.application_revoke_acceptance(
        application_id=accepted.pk, actor=approver, reason="容缺材料逾期未补齐"
    )
    assert app.state == State.REVOKED
    assert app.documents.get().kind == "revocation_notice"


def test_withdraw_by_applicant_then_archive(accepted, citizen, window_staff):
    app = services.application_withdraw(application_id=accepted.pk, actor=citizen, reason="不办了")
    assert app.state == State.WITHDRAWN and app.outcome == State.WITHDRAWN
    app = services.application_archive(application_id=app.pk, actor=window_staff)
    assert app.state == State.ARCHIVED and app.archived_at is not None
    assert app.outcome == State.WITHDRAWN, "A12: the archive still says how it ended"


def test_archive_an_open_application_is_forbidden(accepted, window_staff):
    with pytest.raises(InvalidTransitionError, match="已受理"):
        services.application_archive(application_id=accepted.pk, actor=window_staff)


def test_system_archives_without_an_actor(accepted, approver):
    services.application_approve(application_id=accepted.pk, actor=approver)
    app = services.application_archive(application_id=accepted.pk, actor=None)
    assert app.state == State.ARCHIVED
    assert app.history.first().history_user is None
