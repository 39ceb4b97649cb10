"""Verification afterwards (事中事后核查, DOMAIN P3, P3a, P6, A9, A16).

Approval of a pledged case creates its task, due within the guide's verification period
(working days). Whether it is checked follows the applicant's credit (P3a): first-time and
warned applicants always, good-credit ones by a deterministic, recorded draw. An inspector
records each check with evidence: compliant → closed; not compliant → an order to rectify
by a deadline, sent as a document; after re-verification → compliant, or the decision is
revoked (a staff decision with reasons, never automatic): the result documents turn
已撤销 on their verification page, the applicant receives a written decision with remedies,
and a false pledge leaves a credit record.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import receipts
from apps.applications.models import Application
from apps.applications.services import (
    REMEDIES,
    Letter,
    Message,
    NotFoundError,
    application_revoke_decision,
)
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.documents.models import DocumentKind
from apps.pledges.models import (
    CreditRecord,
    Pledge,
    PledgeEvent,
    RectificationOrder,
    VerificationCheck,
    VerificationTask,
)
from apps.pledges.services import _base
from apps.pledges.services.credit import record_false_pledge
from apps.pledges.workflow import (
    OPEN_VERIFICATION_STATES,
    VERIFICATION_TRANSITIONS,
    VerificationState,
)
from apps.workdays.calendar import add_working_days

VERIFY = "verify_pledge"
REVOKE = "revoke_pledged_decision"
DEFAULT_VERIFICATION_DAYS = 20
Outcome = VerificationCheck.Outcome


# --- Creating the task (P3, P3a) ---------------------------------------------------------


def sample_value(application: Application) -> int:
    """0–99, fixed by the application number: the same case always draws the same value,
    so an auditor can recompute every draw."""
    digest = hashlib.sha256(f"pledge-sample:{application.number}".encode()).hexdigest()
    return int(digest[:8], 16) % 100


def _selection(pledge: Pledge, application: Application) -> tuple[str, int]:
    value = sample_value(application)
    warned = (
        CreditRecord.objects.filter(subject_hash=pledge.subject_hash).exists()
        or VerificationTask.objects.filter(
            pledge__subject_hash=pledge.subject_hash, checks__outcome=Outcome.NON_COMPLIANT
        ).exists()
    )
    if warned:
        return VerificationTask.Selection.WARNED, value
    earlier = VerificationTask.objects.filter(pledge__subject_hash=pledge.subject_hash).exclude(
        application=application
    )
    if not earlier.exists():
        return VerificationTask.Selection.FIRST_TIME, value
    if value < settings.PLEDGES_SAMPLE_PERCENT:
        return VerificationTask.Selection.SAMPLED, value
    return VerificationTask.Selection.NOT_SAMPLED, value


def verification_task_create(
    *, application: Application, pledge: Pledge, actor: User | None
) -> VerificationTask:
    """In the approving transaction: the task, due within the guide's period."""
    selection, value = _selection(pledge, application)
    selected = selection != VerificationTask.Selection.NOT_SAMPLED
    days = application.guide.pledge_verification_days or DEFAULT_VERIFICATION_DAYS
    inspector = actor if actor is not None and actor.has_perm(f"pledges.{VERIFY}") else None
    task = VerificationTask(
        application=application,
        pledge=pledge,
        department_id=application.department_id,
        item_id=application.item_id,
        state=VerificationState.PENDING if selected else VerificationState.NOT_SELECTED,
        due_date=add_working_days(_base.today(), days),
        inspector=inspector,
        selection=selection,
        sample_percent=settings.PLEDGES_SAMPLE_PERCENT,
        sample_value=value,
        closed_at=None if selected else _base.now(),
    )
    task._history_user = actor  # type: ignore[attr-defined]
    task.save()
    _base.event(
        PledgeEvent.Kind.TASK_CREATED,
        actor=actor,
        application=application,
        task=task,
        reason=str(VerificationTask.Selection(selection).label),
        payload={"sample_value": value, "sample_percent": task.sample_percent},
    )
    return task


def on_case_closed(application: Application, actor: User | None) -> None:
    """``applications.hooks.case_closed_listeners``: an approved pledged case gets its
    verification task, whichever service approved it."""
    if application.state != State.APPROVED or not application.guide.pledge_enabled:
        return
    pledge = Pledge.objects.filter(application=application).first()
    if pledge is None or VerificationTask.objects.filter(application=application).exists():
        return
    verification_task_create(application=application, pledge=pledge, actor=actor)


# --- Working the task --------------------------------------------------------------------


def _lock_task(task_id: int, actor: User, permission: str) -> VerificationTask:
    task = (
        VerificationTask.objects.select_for_update(of=("self",))
        .select_related("application", "pledge")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFoundError(_("核查任务不存在。"), code="not_found")
    _base.check_staff(actor, permission, department_id=task.department_id)
    return task


def _move(task: VerificationTask, target: VerificationState, *, actor: User | None) -> None:
    source = VerificationState(task.state)
    if target not in VERIFICATION_TRANSITIONS[source]:
        raise InvalidTransitionError(
            _("核查任务当前状态为“%(state)s”，不能变为“%(target)s”。")
            % {"state": source.label, "target": target.label}
        )
    task.state = target
    if target not in OPEN_VERIFICATION_STATES:
        task.closed_at = _base.now()
    task._history_user = actor  # type: ignore[attr-defined]
    task.save()


def verification_for_application(*, application_id: int) -> VerificationTask:
    """Refuses a verification of an application that is not pledged (or not approved)."""
    task = VerificationTask.objects.filter(application_id=application_id).first()
    if task is None:
        raise ApplicationError(
            _("该办件不是按告知承诺作出的决定，没有核查任务。"), code="not_pledged"
        )
    return task


def verification_assign(*, task_id: int, actor: User, inspector_id: int) -> VerificationTask:
    with transaction.atomic():
        task = _lock_task(task_id, actor, VERIFY)
        if task.state not in OPEN_VERIFICATION_STATES:
            raise InvalidTransitionError(_("核查任务已办结，不能再指派。"))
        inspector = User.objects.filter(pk=inspector_id, is_active=True).first()
        if inspector is None or not inspector.has_perm(f"pledges.{VERIFY}"):
            raise ApplicationError(_("所选人员没有核查权限。"), code="invalid_inspector")
        if (
            not inspector.is_superuser
            and not inspector.departments.filter(pk=task.department_id).exists()
        ):
            raise ApplicationError(_("所选人员不属于该核查部门。"), code="invalid_inspector")
        task.inspector = inspector
        task._history_user = actor  # type: ignore[attr-defined]
        task.save()
        _base.event(
            PledgeEvent.Kind.ASSIGNED,
            actor=actor,
            application=task.application,
            task=task,
            payload={"inspector_id": inspector.pk},
        )
        _base.tell(
            inspector,
            key=f"task:{task.pk}:assigned:{inspector.pk}",
            title=_("告知承诺核查任务"),
            body=_("办件 %(number)s 的告知承诺核查请于 %(due)s 前完成。")
            % {"number": task.application.number, "due": task.due_date},
        )
        return task


def _clean_items(items: list[str] | None) -> list[str]:
    return [str(i).strip() for i in items or [] if str(i).strip()]


def verification_record(
    *,
    task_id: int,
    actor: User,
    compliant: bool,
    evidence: str,
    place: str,
    inspected_on: date,
    evidence_file: UploadedFile | None = None,
    rectify_items: list[str] | None = None,
    rectify_days: int | None = None,
) -> VerificationTask:
    """Record one inspection with its evidence (P3). Compliant → closed. Not compliant on
    the first check → an order to rectify (items, deadline) sent as a document; not
    compliant on re-verification → the revocation step opens for staff."""
    evidence = _base.require_text(evidence, _("请填写核查情况。"), field="evidence")
    place = _base.require_text(place, _("请填写核查地点。"), field="place")
    if inspected_on > _base.today():
        raise ApplicationError(
            _("核查日期不能晚于今天。"), code="invalid", extra={"inspected_on": "future"}
        )
    items = _clean_items(rectify_items)
    with transaction.atomic():
        task = _lock_task(task_id, actor, VERIFY)
        if task.state not in OPEN_VERIFICATION_STATES:
            raise InvalidTransitionError(
                _("核查任务当前状态为“%(state)s”，不能再记录核查结论。")
                % {"state": VerificationState(task.state).label}
            )
        first = task.state == VerificationState.PENDING
        if compliant:
            outcome = Outcome.COMPLIANT
            target = VerificationState.COMPLIANT
        elif first:
            outcome = Outcome.NON_COMPLIANT
            target = VerificationState.RECTIFYING
            if not items:
                raise ApplicationError(
                    _("责令整改须列明整改事项。"),
                    code="required",
                    extra={"rectify_items": "required"},
                )
        else:
            outcome = Outcome.STILL_NON_COMPLIANT
            target = VerificationState.REVOCATION_DUE
        if target == task.state:  # still not compliant while already awaiting revocation
            target = VerificationState(task.state)
        check = VerificationCheck.objects.create(
            task=task,
            outcome=outcome,
            evidence=evidence,
            place=place,
            inspected_on=inspected_on,
            evidence_file=evidence_file or "",
            inspector=actor,
        )
        if target != task.state:
            if target == VerificationState.RECTIFYING:
                _order_rectification(task, check, items=items, days=rectify_days, actor=actor)
            _move(task, target, actor=actor)
        _base.event(
            PledgeEvent.Kind.CHECKED,
            actor=actor,
            application=task.application,
            task=task,
            reason=evidence,
            payload={"check_id": check.pk, "outcome": outcome},
        )
        if compliant:
            _base.tell(
                task.application.applicant,
                key=f"task:{task.pk}:compliant",
                title=_("告知承诺核查结果"),
                body=_("办件 %(number)s 经核查符合承诺。") % {"number": task.application.number},
                link=_base.application_link(task.application),
            )
        return task


def _order_rectification(
    task: VerificationTask,
    check: VerificationCheck,
    *,
    items: list[str],
    days: int | None,
    actor: User,
) -> RectificationOrder:
    days = days or settings.PLEDGES_RECTIFY_WORKING_DAYS
    if not 0 < days <= 60:
        raise ApplicationError(
            _("整改期限应为1至60个工作日。"), code="invalid", extra={"rectify_days": "invalid"}
        )
    deadline = add_working_days(_base.today(), days)
    application = task.application
    link = receipts.issue(
        application,
        kind=DocumentKind.RECTIFICATION_ORDER,
        actor=actor,
        body=_(
            "经核查，你（单位）在申请%(item)s时作出的告知承诺与实际情况不符，"
            "现责令于%(deadline)s前完成下列整改，并接受再次核查。逾期未整改或整改后仍不符合"
            "条件的，依法撤销已作出的许可决定。"
        )
        % {"item": application.item.name, "deadline": deadline},
        extra={"items": items},
    )
    order = RectificationOrder.objects.create(
        task=task,
        check_record=check,
        items=items,
        deadline=deadline,
        document=link.document,
        issued_by=actor,
    )
    task.rectify_deadline = deadline
    _base.event(
        PledgeEvent.Kind.RECTIFY_ORDERED,
        actor=actor,
        application=application,
        task=task,
        payload={"order_id": order.pk, "deadline": deadline.isoformat()},
    )
    _base.tell(
        application.applicant,
        key=f"task:{task.pk}:order:{order.pk}",
        title=_("责令限期整改通知"),
        body=_("办件 %(number)s 经核查不符合承诺，请于 %(deadline)s 前完成整改：%(items)s")
        % {"number": application.number, "deadline": deadline, "items": "；".join(items)},
        link=_base.application_link(application),
        sms=True,
    )
    return order


def verification_revoke(
    *,
    task_id: int,
    actor: User,
    reasons: str,
    false_pledge: bool = True,
    basis: str = "",
) -> VerificationTask:
    """Revoke the decision made on the pledge (P3, P3a, P6): the result documents show 已撤销
    on their verification page from now on, the applicant receives a written decision
    with reasons and remedies (A9), and a false pledge leaves a credit record."""
    reasons = _base.require_text(reasons, _("撤销许可决定必须说明理由。"))
    with transaction.atomic():
        task = _lock_task(task_id, actor, REVOKE)
        _move(task, VerificationState.REVOKED, actor=actor)
        task.false_pledge = false_pledge
        task.save(update_fields=["false_pledge"])
        number, item = task.application.number, task.application.item.name
        # The case itself: result documents revoked, the written decision, 许可决定已撤销.
        application = application_revoke_decision(
            application_id=task.application_id,
            actor=actor,
            reason=reasons,
            document_reason=_("告知承诺不实，许可决定已撤销：%(r)s") % {"r": reasons},
            letters=(
                Letter(
                    kind=DocumentKind.DECISION_REVOCATION,
                    body=_(
                        "你（单位）申请%(item)s时作出告知承诺，本机关据此作出准予许可决定。经核查，"
                        "%(reasons)s。依据《政务服务管理办法》第二十三条，决定撤销该许可决定，"
                        "相关证照自即日起失效。\n%(remedies)s"
                    )
                    % {"item": item, "reasons": reasons, "remedies": REMEDIES},
                ),
            ),
            message=Message(
                event="decision_revoked",
                title=_("许可决定已撤销"),
                body=_("办件 %(number)s 的许可决定已撤销。理由：%(reasons)s %(remedies)s")
                % {"number": number, "reasons": reasons, "remedies": REMEDIES},
            ),
            payload={"remedies": str(REMEDIES), "task_id": task.pk, "false_pledge": false_pledge},
        )
        _base.event(
            PledgeEvent.Kind.REVOKED,
            actor=actor,
            application=application,
            task=task,
            reason=reasons,
            payload={"false_pledge": false_pledge},
        )
        if false_pledge:
            record_false_pledge(
                pledge=task.pledge,
                actor=actor,
                source=CreditRecord.Source.REVOCATION,
                reason=reasons,
                basis=basis,
            )
        return task
