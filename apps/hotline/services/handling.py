"""Routing and handling (派单 → 签收/退单 → 答复 → 办结, DOMAIN H1, H8, H9)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.accounts.roles import Role
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.hotline.models import Ticket, TicketCoHandler, TicketEvent
from apps.hotline.services import _base
from apps.hotline.services.deadlines import callback_due as callback_due_for
from apps.hotline.services.deadlines import (
    deadlines_from,
    limit_for,
)
from apps.hotline.workflow import CLOCK_STATES, Closure, TicketState, Urgency
from apps.workdays.calendar import SHANGHAI

DEPARTMENT_ROLES = (Role.WINDOW_STAFF, Role.DEPARTMENT_APPROVER)


def _department(department_id: int | None, label: str) -> Department:
    try:
        return Department.objects.get(pk=int(str(department_id)), is_active=True)
    except (Department.DoesNotExist, TypeError, ValueError):
        raise ApplicationError(
            _("%(label)s不存在或已停用。") % {"label": label}, code="unknown_department"
        ) from None


def set_route(
    ticket: Ticket,
    *,
    actor: User,
    department: Department,
    co_department_ids: Iterable[int],
    action: str,
    note: str,
) -> None:
    """Set the handling departments and a fresh clock (a new dispatch round)."""
    co_ids = {int(pk) for pk in co_department_ids or ()} - {department.pk}
    co = list(Department.objects.filter(pk__in=co_ids, is_active=True))
    if len(co) != len(co_ids):
        raise ApplicationError(_("协办部门不存在或已停用。"), code="unknown_department")
    start = _base.now()
    deadlines = deadlines_from(
        start,
        limit_for(category=ticket.category, ticket_type=ticket.ticket_type, urgency=ticket.urgency),
    )
    ticket.department = department
    ticket.cycle += 1
    ticket.dispatched_at = start
    ticket.sign_due_at = deadlines.sign_due_at
    ticket.reply_due_at = deadlines.reply_due_at
    ticket.reply_remind_at = deadlines.reply_remind_at
    ticket.signed_at = ticket.replied_at = None
    ticket.sign_stage = 0
    ticket.reply_stage = 0
    TicketCoHandler.objects.filter(ticket=ticket).delete()
    TicketCoHandler.objects.bulk_create([TicketCoHandler(ticket=ticket, department=d) for d in co])
    names = "、".join(d.name for d in co)
    _base.transition(
        ticket,
        TicketState.DISPATCHED,
        actor=actor,
        action=action,
        reason=(
            _("主办：%(lead)s；协办：%(co)s。") % {"lead": department.name, "co": names}
            if co
            else _("承办部门：%(lead)s。") % {"lead": department.name}
        )
        + (f" {note}" if note else ""),
        department_id=department.pk,
        payload={
            "department_id": department.pk,
            "co_department_ids": sorted(d.pk for d in co),
            "cycle": ticket.cycle,
            "reply_due_at": ticket.reply_due_at.isoformat(),
        },
    )
    for dept in [department, *co]:
        _base.tell_staff(
            list(_base.department_handlers(dept.pk, DEPARTMENT_ROLES)),
            ticket,
            event_key=f"dispatched:{ticket.cycle}",
            title=_("新的12345工单待签收"),
            body=_("工单 %(number)s（%(category)s），请于 %(due)s 前签收。")
            % {
                "number": ticket.number,
                "category": ticket.category.name,
                "due": ticket.sign_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            },
        )


def ticket_dispatch(
    *,
    ticket_id: int,
    actor: User,
    department_id: int | None = None,
    co_department_ids: Iterable[int] = (),
    urgency: str | None = None,
    note: str = "",
) -> Ticket:
    """H1, H9 派单: to the owning department (suggested from the category) with a deadline
    from the category, type and urgency (H8); co-handlers for joint handling."""
    _base.check_centre(actor)
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.check_edge(ticket, TicketState.DISPATCHED, _("派单"))
        _base.require_state(ticket, {TicketState.PENDING_DISPATCH}, _("派单"))
        if urgency is not None:
            if urgency not in Urgency.values:
                raise ApplicationError(_("紧急程度无效。"), code="invalid_urgency")
            ticket.urgency = urgency
        department_id = department_id or ticket.category.department_id
        department = _department(department_id, _("承办部门"))
        set_route(
            ticket,
            actor=actor,
            department=department,
            co_department_ids=co_department_ids,
            action=_("派单"),
            note=note,
        )
    return ticket


def ticket_sign(*, ticket_id: int, actor: User) -> Ticket:
    """签收: the lead department takes the ticket."""
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.check_handler(actor, ticket.department_id)
        ticket.signed_at = _base.now()
        _base.transition(
            ticket,
            TicketState.IN_PROGRESS,
            actor=actor,
            action=_("签收"),
            department_id=ticket.department_id,
        )
    return ticket


def ticket_return(*, ticket_id: int, actor: User, reason: str) -> Ticket:
    """退单 (H9 派单异议): the department objects with a reason; the centre reviews it.
    One department may object to the same ticket at most
    ``HOTLINE_MAX_RETURNS_PER_DEPARTMENT`` times."""
    reason = _base.require_text(reason, _("请填写退单理由。"))
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.check_handler(actor, ticket.department_id)
        _base.check_edge(ticket, TicketState.RETURNED, _("退单"))
        lead = _base.lead_department(ticket)
        earlier = TicketEvent.objects.filter(
            ticket=ticket, to_state=TicketState.RETURNED, department_id=lead.pk
        ).count()
        if earlier >= settings.HOTLINE_MAX_RETURNS_PER_DEPARTMENT:
            raise ApplicationError(
                _("本部门对该工单的退单次数已达上限，请签收办理或与热线中心协商。"),
                code="return_limit",
            )
        ticket.return_count += 1
        _base.transition(
            ticket,
            TicketState.RETURNED,
            actor=actor,
            action=_("退单"),
            reason=reason,
            department_id=ticket.department_id,
            visible_to_caller=False,
        )
        _base.tell_staff(
            list(_base.role_members(Role.HOTLINE_OPERATOR)),
            ticket,
            event_key=f"returned:{ticket.cycle}",
            title=_("工单退单待审核"),
            body=_("%(department)s对工单 %(number)s 提出退单：%(reason)s")
            % {"department": lead.name, "number": ticket.number, "reason": reason},
        )
    return ticket


def ticket_redispatch(
    *,
    ticket_id: int,
    actor: User,
    department_id: int,
    co_department_ids: Iterable[int] = (),
    note: str = "",
) -> Ticket:
    """The centre accepts an objection and dispatches the ticket again (H9)."""
    _base.check_centre(actor)
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.require_state(ticket, {TicketState.RETURNED}, _("重新派单"))
        department = _department(department_id, _("承办部门"))
        set_route(
            ticket,
            actor=actor,
            department=department,
            co_department_ids=co_department_ids,
            action=_("重新派单"),
            note=note,
        )
    return ticket


def ticket_reject_return(*, ticket_id: int, actor: User, reason: str) -> Ticket:
    """The centre does not accept an objection: the ticket goes back to the same
    department, whose clock kept running (H9: reviewed, not simply bounced)."""
    _base.check_centre(actor)
    reason = _base.require_text(reason, _("请填写不同意退单的理由。"))
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.require_state(ticket, {TicketState.RETURNED}, _("驳回退单"))
        _base.transition(
            ticket,
            TicketState.DISPATCHED,
            actor=actor,
            action=_("驳回退单"),
            reason=reason,
            department_id=ticket.department_id,
            visible_to_caller=False,
        )
        _base.tell_staff(
            list(_base.department_handlers(ticket.department_id, DEPARTMENT_ROLES)),
            ticket,
            event_key=f"return_rejected:{ticket.cycle}",
            title=_("退单未通过审核"),
            body=_("工单 %(number)s 的退单未获同意：%(reason)s。请签收办理。")
            % {"number": ticket.number, "reason": reason},
        )
    return ticket


def ticket_reply(*, ticket_id: int, actor: User, text: str) -> Ticket:
    """答复: the lead department's reply closes its part; the centre reviews it. The
    call-back falls due the day after the reply (H9)."""
    text = _base.require_text(text, _("请填写答复内容。"), code="reply_required")
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.check_handler(actor, ticket.department_id)
        ticket.reply_text = text
        ticket.replied_at = _base.now()
        ticket.callback_due_on = callback_due_for(ticket.replied_at)
        _base.transition(
            ticket,
            TicketState.REPLIED,
            actor=actor,
            action=_("部门答复"),
            department_id=ticket.department_id,
        )
        _base.tell_staff(
            list(_base.role_members(Role.HOTLINE_OPERATOR)),
            ticket,
            event_key=f"replied:{ticket.cycle}",
            title=_("工单答复待审核"),
            body=_("%(department)s已答复工单 %(number)s。")
            % {"department": _base.lead_department(ticket).name, "number": ticket.number},
        )
    return ticket


def ticket_co_reply(*, ticket_id: int, actor: User, text: str) -> TicketCoHandler:
    """A co-handling department gives its part to the lead (joint handling, H9)."""
    text = _base.require_text(text, _("请填写协办意见。"), code="reply_required")
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.require_state(ticket, CLOCK_STATES | {TicketState.REPLIED}, _("反馈协办意见"))
        mine = (
            ticket.co_handlers.select_for_update()
            .filter(department__in=actor.departments.all() if actor.is_authenticated else [])
            .first()
        )
        if mine is None or not actor.has_perm(_base.HANDLE_PERMISSION):
            raise PermissionDeniedError(_("您所在的部门不是该工单的协办部门。"))
        mine.reply_text, mine.replied_at = text, _base.now()
        mine.save()
        _base.event(
            ticket,
            kind=TicketEvent.Kind.CO_REPLY,
            title=_("协办反馈"),
            actor=actor,
            reason=text,
            department_id=mine.department_id,
            visible_to_caller=False,
        )
    return mine


def ticket_close(*, ticket_id: int, actor: User, note: str = "") -> Ticket:
    """办结: the centre accepts the reply; the caller (and the callers of tickets merged
    into this one) are told the result (H7)."""
    _base.check_centre(actor)
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        ticket.closure = Closure.HANDLED
        ticket.closed_at = _base.now()
        _base.transition(ticket, TicketState.CLOSED, actor=actor, action=_("审核办结"), reason=note)
        body = _("工单 %(number)s 已办结。答复：%(reply)s")
        for each in [ticket, *ticket.merged_tickets.select_related("citizen")]:
            _base.tell_caller(
                each,
                event_key=f"closed:{ticket.cycle}",
                title=_("您的诉求已办结"),
                body=body % {"number": each.number, "reply": ticket.reply_text[:200]},
            )
    return ticket


def ticket_send_back(*, ticket_id: int, actor: User, reason: str) -> Ticket:
    """The centre does not accept the reply: back to the department to handle further."""
    _base.check_centre(actor)
    reason = _base.require_text(reason, _("请填写退回理由。"))
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.transition(
            ticket,
            TicketState.IN_PROGRESS,
            actor=actor,
            action=_("答复退回"),
            reason=reason,
            department_id=ticket.department_id,
            visible_to_caller=False,
        )
        ticket.callback_due_on = None
        _base.save(ticket, actor)
        _base.tell_staff(
            list(_base.department_handlers(ticket.department_id, DEPARTMENT_ROLES)),
            ticket,
            event_key=f"sent_back:{ticket.cycle}:{ticket.events.count()}",
            title=_("工单答复被退回"),
            body=_("工单 %(number)s 的答复未通过审核：%(reason)s")
            % {"number": ticket.number, "reason": reason},
        )
    return ticket
