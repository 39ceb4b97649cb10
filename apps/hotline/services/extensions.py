"""Extensions (DOMAIN H9): only with reasons, requested by the lead department and decided
by the centre; an approved one moves the reply deadline."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.common.errors import ApplicationError
from apps.hotline.models import ExtensionRequest, Ticket, TicketEvent
from apps.hotline.services import _base
from apps.hotline.services.deadlines import extended
from apps.hotline.workflow import CLOCK_STATES
from apps.workdays.calendar import SHANGHAI


def _reply_due(ticket: Ticket) -> datetime.datetime:
    if ticket.reply_due_at is None:
        raise ApplicationError(_("工单尚未派单。"), code="not_dispatched")
    return ticket.reply_due_at


def ticket_request_extension(
    *,
    ticket_id: int,
    actor: User,
    reason: str,
    working_days: int | None = None,
    hours: int | None = None,
) -> ExtensionRequest:
    """H9: extensions only with reasons, approved by the centre."""
    reason = _base.require_text(reason, _("请填写延期理由。"))
    if bool(working_days) == bool(hours) or (working_days or 0) < 0 or (hours or 0) < 0:
        raise ApplicationError(_("请填写延长的工作日数或小时数（其中一项）。"), code="invalid")
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.check_handler(actor, ticket.department_id)
        _base.require_state(ticket, CLOCK_STATES, _("申请延期"))
        if ticket.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise ApplicationError(_("已有待审批的延期申请。"), code="extension_pending")
        extension = ExtensionRequest.objects.create(
            ticket=ticket,
            department=_base.lead_department(ticket),
            requested_by=actor,
            reason=reason,
            extra_working_days=working_days or None,
            extra_hours=hours or None,
        )
        _base.event(
            ticket,
            kind=TicketEvent.Kind.EXTENSION_REQUESTED,
            title=_("申请延期"),
            actor=actor,
            reason=reason,
            department_id=ticket.department_id,
            payload={"extension_id": extension.pk},
            visible_to_caller=False,
        )
        _base.tell_staff(
            [
                u
                for u in _base.role_members(Role.SUPERVISOR)
                if u.has_perm("hotline.decide_extension")
            ],
            ticket,
            event_key=f"extension:{extension.pk}",
            title=_("工单延期待审批"),
            body=_("工单 %(number)s 申请延期：%(reason)s")
            % {"number": ticket.number, "reason": reason},
        )
    return extension


def ticket_decide_extension(
    *, extension_id: int, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The centre approves (the reply deadline moves) or refuses an extension (H9)."""
    _base.check_centre(actor, "hotline.decide_extension")
    with transaction.atomic():
        ticket_id = (
            ExtensionRequest.objects.filter(pk=extension_id)
            .values_list("ticket_id", flat=True)
            .first()
        )
        if ticket_id is None:
            raise ApplicationError(_("延期申请不存在。"), code="not_found")
        ticket = _base.lock_ticket(ticket_id)
        extension = ExtensionRequest.objects.select_for_update().get(pk=extension_id)
        if extension.status != ExtensionRequest.Status.PENDING:
            raise ApplicationError(_("该延期申请已审批。"), code="extension_decided")
        if not approve:
            note = _base.require_text(note, _("请填写不批准的理由。"))
        _base.require_state(ticket, CLOCK_STATES, _("审批延期"))
        extension.status = (
            ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
        )
        extension.decided_by, extension.decided_at = actor, _base.now()
        extension.decision_note = note
        extension.save()
        old_due = due = _reply_due(ticket)
        if approve:
            due = extended(
                old_due, working_days=extension.extra_working_days, hours=extension.extra_hours
            )
            ticket.reply_due_at = due
            # Re-arm the reminder of this round if nothing beyond it has been sent yet.
            if ticket.reply_stage < 2:
                ticket.reply_stage = 0
                lead_time = old_due - (ticket.reply_remind_at or old_due)
                ticket.reply_remind_at = max(old_due, due - lead_time)
            _base.save(ticket, actor)
        _base.event(
            ticket,
            kind=(
                TicketEvent.Kind.EXTENSION_APPROVED
                if approve
                else TicketEvent.Kind.EXTENSION_REFUSED
            ),
            title=_("批准延期") if approve else _("不批准延期"),
            actor=actor,
            reason=note,
            payload={"extension_id": extension.pk, "reply_due_at": due.isoformat()},
            visible_to_caller=approve,
        )
        _base.tell_staff(
            [extension.requested_by],
            ticket,
            event_key=f"extension_decided:{extension.pk}",
            title=_("延期申请已批准") if approve else _("延期申请未批准"),
            body=_("工单 %(number)s 答复期限：%(due)s。")
            % {
                "number": ticket.number,
                "due": due.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return extension
