"""PO5: a policy in force is not stopped or paused on a whim.

Suspending or stopping a published policy takes two people and a legal ground: department
staff file a request naming a statutory ground, the document and article, and the reasons;
a supervisor approves it (or rejects it). Reorganisation and staff changes are not grounds
(DOMAIN PO5): a request that gives them as its reason is refused. Each step is recorded on
the policy's timeline and in the request's history.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.notifications.services import notify
from apps.policies.models import LegalGround, PolicyEvent, PolicyHaltRequest
from apps.policies.services import _base
from apps.policies.services.policies import _transition
from apps.policies.workflow import (
    HALT_REQUEST_TRANSITIONS,
    HALT_TARGET,
    POLICY_TRANSITIONS,
    HaltAction,
    HaltRequestState,
    PolicyState,
)

# PO5 (002 §16): "不因机构调整、人员变化等原因" — these are never a ground.
FORBIDDEN_REASONS = ("机构改革", "机构调整", "职能调整", "人员变动", "人员调整", "换届", "领导变动")


def _check_reason(reason: str) -> str:
    reason = _base.require_text(reason, _("请填写具体理由。"))
    named = [word for word in FORBIDDEN_REASONS if word in reason]
    if named:
        raise ApplicationError(
            _("政策在有效期内不得因机构调整、人员变动等原因暂停或停止（理由中提到：%(words)s）。")
            % {"words": "、".join(named)},
            code="forbidden_halt_reason",
        )
    return reason


def _lock_request(request_id: int) -> PolicyHaltRequest:
    found = (
        PolicyHaltRequest.objects.select_for_update(of=("self",))
        .select_related("policy", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise _base.NotFoundError(_("暂停/停止申请不存在。"))
    return found


def policy_halt_request(
    *,
    actor: User,
    policy_id: int,
    action: str,
    legal_ground: str,
    legal_basis: str,
    reason: str,
) -> PolicyHaltRequest:
    """File a request to suspend or stop a policy (PO5); nothing changes until approved."""
    if action not in HaltAction.values:
        raise ApplicationError(_("请选择暂停兑现或停止执行。"), code="invalid")
    if legal_ground not in LegalGround.values:
        raise ApplicationError(_("请选择法定事由。"), code="legal_ground_required")
    legal_basis = _base.require_text(
        legal_basis, _("请填写依据的文件名称及条款。"), code="legal_basis_required"
    )
    reason = _check_reason(reason)
    with transaction.atomic():
        policy = _base.lock_policy(policy_id)
        _base.require_staff(actor, "request_policy_halt", department_id=policy.department_id)
        target = HALT_TARGET[HaltAction(action)]
        _base.check_edge(
            POLICY_TRANSITIONS,
            PolicyState(policy.state),
            target,
            what=_("政策"),
            action=str(HaltAction(action).label),
        )
        if policy.halt_requests.filter(state=HaltRequestState.PENDING).exists():
            raise ApplicationError(
                _("该政策已有待审批的暂停/停止申请。"), code="halt_request_pending"
            )
        request = PolicyHaltRequest(
            policy=policy,
            action=action,
            legal_ground=legal_ground,
            legal_basis=legal_basis,
            reason=reason,
            requested_by=actor,
        )
        _base.save(request, actor)
        _base.record(
            policy,
            kind=PolicyEvent.Kind.HALT_REQUESTED,
            actor=actor,
            reason=reason,
            payload={"request_id": request.pk, "action": action, "legal_ground": legal_ground},
        )
    return request


def _decide(
    *, actor: User, request_id: int, target: HaltRequestState, note: str, action: str
) -> PolicyHaltRequest:
    request = _lock_request(request_id)
    _base.check_edge(
        HALT_REQUEST_TRANSITIONS,
        HaltRequestState(request.state),
        target,
        what=_("申请"),
        action=action,
    )
    request.state = target
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    _base.save(request, actor)
    return request


def policy_halt_approve(*, actor: User, request_id: int, note: str = "") -> PolicyHaltRequest:
    """A supervisor approves: the policy is suspended or stopped now (PO5)."""
    _base.require_staff(actor, "approve_policy_halt")
    with transaction.atomic():
        request = _lock_request(request_id)
        if request.requested_by_id == actor.pk:
            raise PermissionDeniedError(_("不能审批自己提出的申请。"))
        policy = _base.lock_policy(request.policy_id)
        request = _decide(
            actor=actor,
            request_id=request_id,
            target=HaltRequestState.APPROVED,
            note=note.strip(),
            action=_("批准"),
        )
        action = HaltAction(request.action)
        _transition(
            policy,
            HALT_TARGET[action],
            actor=actor,
            action=str(action.label),
            reason=f"{LegalGround(request.legal_ground).label}：{request.reason}",
        )
        _base.record(
            policy,
            kind=PolicyEvent.Kind.HALT_DECIDED,
            actor=actor,
            reason=note.strip(),
            payload={"request_id": request.pk, "decision": "approved"},
        )
        _tell_requester(request, _("已批准"))
    return request


def policy_halt_reject(*, actor: User, request_id: int, note: str) -> PolicyHaltRequest:
    """A supervisor rejects: the policy stays in force (PO5). The reasons are required."""
    _base.require_staff(actor, "approve_policy_halt")
    note = _base.require_text(note, _("请填写驳回理由。"))
    with transaction.atomic():
        request = _decide(
            actor=actor,
            request_id=request_id,
            target=HaltRequestState.REJECTED,
            note=note,
            action=_("驳回"),
        )
        _base.record(
            request.policy,
            kind=PolicyEvent.Kind.HALT_DECIDED,
            actor=actor,
            reason=note,
            payload={"request_id": request.pk, "decision": "rejected"},
        )
        _tell_requester(request, _("已驳回"))
    return request


def policy_halt_withdraw(*, actor: User, request_id: int) -> PolicyHaltRequest:
    """The requester takes a pending request back."""
    with transaction.atomic():
        request = _lock_request(request_id)
        if request.requested_by_id != actor.pk:
            raise PermissionDeniedError(_("只能撤回自己提出的申请。"))
        return _decide(
            actor=actor,
            request_id=request_id,
            target=HaltRequestState.WITHDRAWN,
            note="",
            action=_("撤回"),
        )


def _tell_requester(request: PolicyHaltRequest, outcome: str) -> None:
    notify(
        recipient=request.requested_by,
        title=_("政策暂停/停止申请%(outcome)s") % {"outcome": outcome},
        body=_("“%(policy)s”的%(action)s申请%(outcome)s。%(note)s")
        % {
            "policy": request.policy.title,
            "action": request.get_action_display(),
            "outcome": outcome,
            "note": request.decision_note,
        },
        category=_base.NOTIFICATION_CATEGORY,
        link=reverse("admin:policies_policyhaltrequest_change", args=[request.pk]),
        dedupe_key=f"policy-halt:{request.pk}:{request.state}",
    )
