"""DOMAIN PO5: within its validity a policy is not stopped or paused without a recorded legal
ground and a supervisor's approval; reorganisation and staff changes are never grounds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.notifications.models import Notification
from apps.policies.models import PolicyEvent, PolicyHaltRequest
from apps.policies.services import (
    policy_halt_approve,
    policy_halt_reject,
    policy_halt_request,
    policy_halt_withdraw,
    policy_resume,
)
from apps.policies.workflow import HaltRequestState, PolicyState
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db

GROUND = {
    "legal_ground": "law_changed",
    "legal_basis": "《市人民政府关于废止部分规范性文件的决定》（榕政〔2026〕8号）第三项",
    "reason": "政策依据文件已被废止。",
}


@pytest.fixture
def policy(department):
    return PolicyFactory(department=department)


def _request(policy, actor, action="suspend", **overrides):
    return policy_halt_request(
        actor=actor, policy_id=policy.pk, action=action, **{**GROUND, **overrides}
    )


def test_request_then_supervisor_approval_suspends_po5(policy, approver, supervisor):
    request = _request(policy, approver)
    policy.refresh_from_db()
    assert policy.state == PolicyState.PUBLISHED  # nothing changes until approved
    policy_halt_approve(actor=supervisor, request_id=request.pk, note="依据充分")
    policy.refresh_from_db()
    request.refresh_from_db()
    assert policy.state == PolicyState.SUSPENDED
    assert (request.state, request.decided_by) == (HaltRequestState.APPROVED, supervisor)
    transition = PolicyEvent.objects.get(policy=policy, kind="transition")
    assert (transition.from_state, transition.to_state, transition.actor) == (
        "published",
        "suspended",
        supervisor,
    )
    assert "上位法律法规" in transition.reason and "废止" in transition.reason
    assert Notification.objects.filter(recipient=approver, title__contains="已批准").exists()


def test_stop_is_final_po5(policy, approver, supervisor):
    policy_halt_approve(actor=supervisor, request_id=_request(policy, approver, "stop").pk)
    policy.refresh_from_db()
    assert policy.state == PolicyState.STOPPED
    with pytest.raises(InvalidTransitionError):
        policy_resume(actor=approver, policy_id=policy.pk, reason="恢复")


@pytest.mark.parametrize("words", ["因机构改革职能划转", "经办人员变动，暂无人办理", "班子换届"])
def test_reorganisation_and_staff_changes_are_never_grounds_po5(policy, approver, words):
    with pytest.raises(ApplicationError) as info:
        _request(policy, approver, reason=words)
    assert info.value.code == "forbidden_halt_reason"
    assert not PolicyHaltRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"legal_ground": "reorganised"}, "legal_ground_required"),
        ({"legal_basis": "  "}, "legal_basis_required"),
        ({"reason": ""}, "reason_required"),
    ],
)
def test_a_request_without_ground_basis_or_reason_is_refused_po5(policy, approver, overrides, code):
    with pytest.raises(ApplicationError) as info:
        _request(policy, approver, **overrides)
    assert info.value.code == code


def test_the_department_cannot_approve_its_own_request_po5(policy, approver, supervisor):
    request = _request(policy, approver)
    with pytest.raises(PermissionDeniedError):
        policy_halt_approve(actor=approver, request_id=request.pk)
    policy.refresh_from_db()
    assert policy.state == PolicyState.PUBLISHED


def test_a_supervisor_cannot_approve_a_request_they_filed_po5(policy, supervisor):
    """Four eyes: whoever asks is never the one who approves."""
    supervisor.user_permissions.add(Permission.objects.get(codename="request_policy_halt"))
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)  # fresh permission cache
    request = _request(policy, supervisor)
    with pytest.raises(PermissionDeniedError, match="自己"):
        policy_halt_approve(actor=supervisor, request_id=request.pk)


def test_other_departments_cannot_ask_po5(policy, other_dept_staff):
    with pytest.raises(PermissionDeniedError):
        _request(policy, other_dept_staff)


def test_rejection_keeps_the_policy_in_force_and_needs_reasons_po5(policy, approver, supervisor):
    request = _request(policy, approver)
    with pytest.raises(ApplicationError, match="驳回理由"):
        policy_halt_reject(actor=supervisor, request_id=request.pk, note="")
    policy_halt_reject(actor=supervisor, request_id=request.pk, note="所称依据不适用本政策")
    policy.refresh_from_db()
    assert policy.state == PolicyState.PUBLISHED
    with pytest.raises(InvalidTransitionError):
        policy_halt_approve(actor=supervisor, request_id=request.pk)


def test_one_pending_request_at_a_time_and_withdrawal(policy, approver):
    request = _request(policy, approver)
    with pytest.raises(ApplicationError, match="待审批"):
        _request(policy, approver, "stop")
    policy_halt_withdraw(actor=approver, request_id=request.pk)
    assert _request(policy, approver, "stop").state == HaltRequestState.PENDING


def test_a_draft_cannot_be_halted(department, approver):
    draft = PolicyFactory(department=department, state="draft")
    with pytest.raises(InvalidTransitionError, match="草稿"):
        _request(draft, approver)


def test_resume_after_suspension_queues_matching(
    policy, approver, supervisor, django_capture_on_commit_callbacks
):
    policy_halt_approve(actor=supervisor, request_id=_request(policy, approver).pk)
    with django_capture_on_commit_callbacks() as callbacks:
        policy_resume(actor=approver, policy_id=policy.pk, reason="依据文件已重新发布")
    policy.refresh_from_db()
    assert policy.state == PolicyState.PUBLISHED
    assert [c.__name__ for c in callbacks] == ["queue_match_policy"]
