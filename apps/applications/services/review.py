"""Review and decision: special procedures (A8), extension (A7, A7a), approval, denial
with remedies (A9), revocation of acceptance, archiving (A12)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications.models import Application, Extension, Suspension, TimelineEvent
from apps.applications.services import _base
from apps.applications.services.clock import close_open_suspension, refresh_clock
from apps.applications.services.closing import (
    Ending,
    Letter,
    Message,
    checked_decision,
    close_case,
    result_letters,
)
from apps.applications.workflow import ACCEPTED_OPEN_STATES, State
from apps.catalogue.models import ItemType, SpecialProcedure
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from apps.notifications.services import notify

HANDLE = "change_application"
DECIDE = "decide_application"
APPROVE_EXTENSION = "approve_extension"

# A9: the remedies every denial names.
REMEDIES = gettext_lazy(
    "如对本决定不服，可以通过12345热线或监督投诉渠道投诉；可以自收到本决定之日起60日内申请"
    "行政复议，或者在6个月内依法向人民法院提起行政诉讼。"
)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _locked(application_id: int, actor: User, permission: str) -> Application:
    application = _base.lock_application(application_id)
    _base.check_staff(actor, application, permission)
    return application


def application_start_review(*, application_id: int, actor: User) -> Application:
    """Accepted (or tolerantly accepted on a signed pledge, T1) → under review.

    Not from a suspension: leaving a special procedure goes only through
    :func:`application_resume`, which ends the procedure and moves the due date (A8)."""
    with transaction.atomic():
        application = _locked(application_id, actor, HANDLE)
        _base.require_state(application, {State.ACCEPTED, State.TOLERANT_ACCEPTED}, _("开始审查"))
        application.handled_by = application.handled_by or actor
        _base.transition(application, State.UNDER_REVIEW, actor=actor, action=_("开始审查"))
        return application


def application_suspend(*, application_id: int, actor: User, kind: str, reason: str) -> Suspension:
    """A8: start a special procedure the guide lists; the main clock pauses."""
    reason = _base.require_text(reason, _("请说明启动特别程序的原因。"))
    with transaction.atomic():
        application = _locked(application_id, actor, HANDLE)
        _base.check_edge(application, State.SUSPENDED, _("启动特别程序"))
        procedure = SpecialProcedure.objects.filter(guide=application.guide, kind=kind).first()
        if procedure is None:
            listed = "、".join(
                p.get_kind_display()
                for p in SpecialProcedure.objects.filter(guide=application.guide)
            ) or _("无")
            raise ApplicationError(
                _("办事指南未列明该特别程序（本事项列明的特别程序：%(listed)s）。")
                % {"listed": listed},
                code="procedure_not_in_guide",
            )
        suspension = Suspension.objects.create(
            application=application,
            procedure=procedure,
            kind=procedure.kind,
            limit_days=procedure.time_limit_days,
            reason=reason,
            started_on=_base.today(),
            started_by=actor,
        )
        refresh_clock(application)
        _base.transition(
            application,
            State.SUSPENDED,
            actor=actor,
            action=_("启动特别程序"),
            reason=reason,
            payload={
                "suspension_id": suspension.pk,
                "procedure": procedure.kind,
                "limit_days": procedure.time_limit_days,
            },
        )
        _base.tell_applicant(
            application,
            event=f"suspended:{suspension.pk}",
            title=_("您的申请进入特别程序"),
            body=_(
                "申请编号 %(number)s 进入%(procedure)s程序（时限%(days)d个工作日），"
                "期间不计入办理时限。"
            )
            % {
                "number": application.number,
                "procedure": procedure.get_kind_display(),
                "days": procedure.time_limit_days,
            },
        )
        return suspension


def application_resume(*, application_id: int, actor: User, note: str = "") -> Application:
    """A8: the special procedure ended; the clock runs again from today."""
    with transaction.atomic():
        application = _locked(application_id, actor, HANDLE)
        _base.require_state(application, {State.SUSPENDED}, _("结束特别程序"))
        suspension = close_open_suspension(application, actor=actor)
        refresh_clock(application)
        _base.transition(
            application,
            State.UNDER_REVIEW,
            actor=actor,
            action=_("结束特别程序"),
            reason=note.strip(),
            payload={
                "suspension_id": suspension.pk if suspension else None,
                "due_date": _iso(application.due_date),
            },
        )
        return application


def max_extension_days(application: Application) -> int:
    """A7a: once, by at most 10 working days (15 for jointly handled items)."""
    joint = application.bundle_application_id is not None
    if application.item.item_type != ItemType.LICENSING:
        if joint:
            return settings.APPLICATION_MAX_EXTENSION_DAYS_JOINT
        return settings.APPLICATION_MAX_EXTENSION_DAYS
    return 15 if joint else 10


def application_request_extension(
    *, application_id: int, actor: User, days: int, reason: str
) -> Extension:
    """A7: ask to extend the limit, with reasons; the head of the body decides."""
    reason = _base.require_text(reason, _("延长办理时限必须说明理由。"))
    with transaction.atomic():
        application = _locked(application_id, actor, HANDLE)
        if application.state not in ACCEPTED_OPEN_STATES:
            raise ApplicationError(
                _("办件当前状态为“%(state)s”，不能申请延期。")
                % {"state": State(application.state).label},
                code="invalid_transition",
            )
        limit = max_extension_days(application)
        if not 0 < days <= limit:
            raise ApplicationError(
                _("延长期限应为1至%(limit)d个工作日。") % {"limit": limit},
                code="extension_too_long",
            )
        try:
            with transaction.atomic():
                extension = Extension.objects.create(
                    application=application, days=days, reason=reason, requested_by=actor
                )
        except IntegrityError:
            raise ApplicationError(
                _("办理时限只能延长一次。"), code="extension_already_used"
            ) from None
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.EXTENSION_REQUESTED,
            actor=actor,
            reason=reason,
            payload={"extension_id": extension.pk, "days": days},
            visible_to_applicant=False,
        )
        for approver in _base.department_staff(application.department_id, Role.DEPARTMENT_APPROVER):
            notify(
                recipient=approver,
                title=_("延期申请待审批"),
                body=_("办件 %(number)s 申请延长%(days)d个工作日。")
                % {"number": application.number, "days": days},
                category=_base.NOTIFICATION_CATEGORY,
                dedupe_key=f"application:{application.pk}:extension:{extension.pk}:"
                f"user:{approver.pk}",
            )
        return extension


def application_approve_extension(
    *, extension_id: int, actor: User, approved: bool = True, note: str = ""
) -> Extension:
    """A7/A7a: the head of the body approves (or refuses) the extension; the applicant is
    told in writing, and the due date moves."""
    # Who may decide comes first: an unknown id tells a stranger nothing.
    _base.check_staff(actor, None, APPROVE_EXTENSION, department_id=None, any_department=True)
    with transaction.atomic():
        application_id = (
            Extension.objects.filter(pk=extension_id)
            .values_list("application_id", flat=True)
            .first()
        )
        if application_id is None:
            raise _base.NotFoundError(_("延期申请不存在。"), code="not_found")
        application = _locked(application_id, actor, APPROVE_EXTENSION)
        extension = Extension.objects.select_for_update().get(pk=extension_id)
        if extension.status != Extension.Status.PENDING:
            raise ApplicationError(_("该延期申请已审批。"), code="extension_decided")
        if application.state not in ACCEPTED_OPEN_STATES:
            raise ApplicationError(_("办件已办结，无需延期。"), code="invalid_transition")
        if extension.requested_by_id == actor.pk:
            raise ApplicationError(_("延期申请不能由申请人本人审批。"), code="self_approval")
        extension.status = Extension.Status.APPROVED if approved else Extension.Status.REFUSED
        extension.approved_by = actor
        extension.decided_at = _base.stamp()
        extension.save(update_fields=["status", "approved_by", "decided_at", "updated_at"])
        if not approved:
            _base.timeline(
                application,
                kind=TimelineEvent.Kind.EXTENSION_REFUSED,
                actor=actor,
                reason=note.strip(),
                payload={"extension_id": extension.pk},
                visible_to_applicant=False,
            )
            return extension
        application.extension_days = extension.days
        refresh_clock(application)
        _base.save(application, actor)
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.EXTENSION_APPROVED,
            actor=actor,
            reason=extension.reason,
            payload={
                "extension_id": extension.pk,
                "days": extension.days,
                "due_date": _iso(application.due_date),
            },
        )
        _base.tell_applicant(
            application,
            event=f"extension:{extension.pk}",
            title=_("办理时限延长告知"),
            body=_(
                "申请编号 %(number)s 经批准延长%(days)d个工作日，办结期限为 %(due)s。"
                "理由：%(reason)s"
            )
            % {
                "number": application.number,
                "days": extension.days,
                "due": application.due_date,
                "reason": extension.reason,
            },
            sms=True,
        )
        return extension


def application_approve(
    *, application_id: int, actor: User, result_text: str = "", decision: dict | None = None
) -> Application:
    """Approve and issue the result (A7a: the licence is delivered with the decision).
    ``decision``: the result template's fields (e.g. 经营项目, validity dates), required
    where the guide declares them; the decision and the licence print them."""
    with transaction.atomic():
        application = _locked(application_id, actor, DECIDE)
        _base.check_edge(application, State.APPROVED, _("准予许可"))
        values, rows = checked_decision(application, decision)
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.APPROVED,
                action=_("准予许可"),
                reason=result_text.strip(),
                payload={"decision": values, "decision_rows": rows} if rows else {},
                letters=result_letters(application, result_text=result_text, decision_rows=rows),
                message=Message(
                    event="approved",
                    title=_("您的申请已办结"),
                    body=_("申请编号 %(number)s 已准予许可，结果：%(result)s。")
                    % {"number": application.number, "result": application.guide.result_name},
                ),
            ),
        )


def application_deny(*, application_id: int, actor: User, reasons: str) -> Application:
    """A9: a written decision with reasons and remedies (投诉、行政复议 60日、行政诉讼 6个月)."""
    reasons = _base.require_text(reasons, _("不予许可必须说明理由。"))
    with transaction.atomic():
        application = _locked(application_id, actor, DECIDE)
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.DENIED,
                action=_("不予许可"),
                reason=reasons,
                payload={"remedies": str(REMEDIES)},
                letters=(
                    Letter(
                        kind=DocumentKind.DENIAL_DECISION,
                        body=_(
                            "你（单位）提交的%(item)s申请，经审查，决定不予许可。"
                            "理由：%(reasons)s\n%(remedies)s"
                        )
                        % {
                            "item": application.item.name,
                            "reasons": reasons,
                            "remedies": REMEDIES,
                        },
                    ),
                ),
                message=Message(
                    event="denied",
                    title=_("您的申请不予许可"),
                    body=_("申请编号 %(number)s 不予许可。理由：%(reasons)s %(remedies)s")
                    % {"number": application.number, "reasons": reasons, "remedies": REMEDIES},
                ),
            ),
        )


def revocation_ending(application: Application, *, reason: str) -> Ending:
    """A4 / T3: what revoking acceptance writes and says; shared with the tolerance app's
    revocation for materials not supplied in time."""
    return Ending(
        target=State.REVOKED,
        action=_("撤销受理"),
        reason=reason,
        payload={"remedies": str(REMEDIES)},
        letters=(
            Letter(
                kind=DocumentKind.REVOCATION_NOTICE,
                body=_("你（单位）的%(item)s申请，因%(reason)s，决定撤销受理。")
                % {"item": application.item.name, "reason": reason},
            ),
        ),
        message=Message(
            event="revoked",
            title=_("您的申请已撤销受理"),
            body=_("申请编号 %(number)s 已撤销受理。理由：%(reason)s")
            % {"number": application.number, "reason": reason},
        ),
    )


def application_revoke_acceptance(*, application_id: int, actor: User, reason: str) -> Application:
    """A4 / T3: acceptance revoked with reasons and a dated 撤销受理通知书."""
    reason = _base.require_text(reason, _("撤销受理必须说明理由。"))
    with transaction.atomic():
        application = _locked(application_id, actor, DECIDE)
        return close_case(
            application, actor=actor, ending=revocation_ending(application, reason=reason)
        )


def application_archive(*, application_id: int, actor: User | None) -> Application:
    """A12: archive a finished application. ``actor=None`` is the system archiving."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        if actor is not None:
            _base.check_staff(actor, application, HANDLE)
        application.archived_at = _base.stamp()
        _base.transition(application, State.ARCHIVED, actor=actor, action=_("归档"))
        return application
