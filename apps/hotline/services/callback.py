"""Call-back (回访) and its rating (评价), reopening (重办) and escalation (DOMAIN H8, H9,
R1)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.common.errors import ApplicationError
from apps.hotline.models import Ticket, TicketEvent, TicketMark
from apps.hotline.services import _base
from apps.hotline.services.handling import set_route
from apps.hotline.workflow import UNSATISFIED, Closure, Satisfaction, TicketState


def ticket_record_satisfaction_review(*, ticket: Ticket, actor: User | None) -> None:
    """R1: the call-back rating becomes a review on the hotline channel.

    THE integration point for the reviews app (issue 12): when ``apps.reviews`` exists, this
    function calls its service that creates one review per service event (一事一评) on the
    hotline channel, for the ticket's lead department, with ``ticket.satisfaction`` as the
    five-level rating and ``ticket.pk`` as the event id; the hotline sits above reviews, so
    it imports that service directly. Until then the rating is kept on the ticket and this
    explicit timeline row records that it was given. Called inside the call-back's
    transaction, on the locked ticket row.
    """
    _base.event(
        ticket,
        kind=TicketEvent.Kind.REVIEW_RECORDED,
        title=_("满意度评价：%(level)s") % {"level": Satisfaction(ticket.satisfaction).label},
        actor=actor,
        department_id=ticket.department_id,
        payload={"satisfaction": ticket.satisfaction, "department_id": ticket.department_id},
        visible_to_caller=False,
    )


def ticket_callback(
    *,
    ticket_id: int,
    actor: User,
    satisfaction: str,
    note: str = "",
    caused_by_department: bool = True,
) -> Ticket:
    """回访: the centre calls the caller back and records the five-level rating (R1).

    An unsatisfied rating caused by the department reopens the ticket (重办) to the same
    department with a fresh clock, at most ``HOTLINE_MAX_REOPENS`` times; unsatisfied again
    after that, the ticket escalates to the supervisors (H9).
    """
    _base.check_centre(actor)
    if satisfaction not in Satisfaction.values:
        raise ApplicationError(_("请选择满意度。"), code="invalid_satisfaction")
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        _base.require_state(ticket, {TicketState.CLOSED}, _("回访"))
        if ticket.closure != Closure.HANDLED or ticket.called_back_at is not None:
            raise ApplicationError(_("该工单无需回访或已回访。"), code="callback_not_due")
        ticket.called_back_at = _base.now()
        ticket.satisfaction = satisfaction
        ticket.callback_note = (note or "").strip()
        _base.save(ticket, actor)
        _base.event(
            ticket,
            kind=TicketEvent.Kind.CALLBACK,
            title=_("回访"),
            actor=actor,
            reason=ticket.callback_note,
            payload={"satisfaction": satisfaction, "cycle": ticket.cycle},
        )
        ticket_record_satisfaction_review(ticket=ticket, actor=actor)
        if satisfaction in UNSATISFIED and caused_by_department:
            if ticket.reopen_count < settings.HOTLINE_MAX_REOPENS:
                _reopen(ticket, actor)
            else:
                _escalate_after_reopen(ticket, actor)
    return ticket


def _reopen(ticket: Ticket, actor: User) -> None:
    ticket.reopen_count += 1
    ticket.called_back_at = None
    ticket.satisfaction = ""
    ticket.callback_due_on = None
    ticket.closure = ""
    ticket.closed_at = None
    set_route(
        ticket,
        actor=actor,
        department=_base.lead_department(ticket),
        co_department_ids=list(ticket.co_handlers.values_list("department_id", flat=True)),
        action=_("重办"),
        note=_("回访不满意，重新办理。"),
    )


def _escalate_after_reopen(ticket: Ticket, actor: User) -> None:
    TicketMark.objects.get_or_create(
        ticket=ticket, cycle=ticket.cycle, threshold=TicketMark.Threshold.REOPEN_ESCALATED
    )
    ticket.escalation_level = 3
    _base.save(ticket, actor)
    _base.event(
        ticket,
        kind=TicketEvent.Kind.ESCALATED,
        title=_("重办后仍不满意，升级督办"),
        actor=actor,
        department_id=ticket.department_id,
        visible_to_caller=False,
    )
    recipients = [
        *_base.role_members(Role.SUPERVISOR),
        *_base.department_handlers(ticket.department_id, (Role.DEPARTMENT_APPROVER,)),
    ]
    _base.tell_staff(
        recipients,
        ticket,
        event_key="reopen_escalated",
        title=_("工单重办后仍不满意"),
        body=_("工单 %(number)s 重办后回访仍不满意，请督办。") % {"number": ticket.number},
    )
