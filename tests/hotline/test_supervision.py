"""督办 (DOMAIN H9): reminder before the due time, escalation level by level for overdue
sign-off and reply, the call-back reminder — each once per ticket and threshold."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from apps.hotline import services
from apps.hotline.models import ReplyStage, Ticket, TicketEvent, TicketMark
from apps.hotline.services import supervise_tickets
from apps.hotline.tasks import supervise_tickets as supervise_task
from apps.notifications.models import Notification
from tests.hotline.factories import call

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2025, 11, 3, 10, 0, tzinfo=CST)  # no holidays near


def _dispatched(operator, category, **overrides) -> Ticket:
    ticket = services.ticket_take_call(actor=operator, data=call(category, **overrides))
    return services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)


def _marks(ticket) -> set[str]:
    return set(TicketMark.objects.filter(ticket=ticket).values_list("threshold", flat=True))


def test_sign_overdue_escalates_once(operator, category, handler, approver):
    """H9: overdue sign-off → 督办 to the department (level 1); a second run is a no-op."""
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False):
        first = supervise_tickets()
        second = supervise_tickets()
    assert first.sign_overdue == 1 and second.sign_overdue == 0
    ticket.refresh_from_db()
    assert ticket.sign_stage == 1 and ticket.escalation_level == 1
    assert _marks(ticket) == {TicketMark.Threshold.SIGN_OVERDUE}
    assert Notification.objects.filter(recipient=handler, title="工单签收超时").count() == 1
    assert Notification.objects.filter(recipient=approver, title="工单签收超时").count() == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.SUPERVISION).count() == 1


def test_reply_clock_escalates_level_by_level(operator, category, handler, approver, supervisor):
    """H9: 催办 before the due date, 督办 when overdue, 书面督办 the day after, 通报 five
    working days later; each once."""
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category, ticket_type="enquiry")  # 3 working days
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    ticket.refresh_from_db()
    due = ticket.reply_due_at.astimezone(CST)
    assert due.date() == datetime.date(2025, 11, 6)

    def run_at(moment):
        with time_machine.travel(moment, tick=False):
            report = supervise_tickets()
            again = supervise_tickets()
        assert all(v == 0 for v in again.as_dict().values())
        ticket.refresh_from_db()
        return report

    assert run_at(datetime.datetime(2025, 11, 5, 9, 30, tzinfo=CST)).reminded == 1
    assert ticket.reply_stage == ReplyStage.REMINDED and ticket.escalation_level == 0
    assert run_at(datetime.datetime(2025, 11, 7, 0, 30, tzinfo=CST)).overdue == 1
    assert ticket.reply_stage == ReplyStage.OVERDUE and ticket.escalation_level == 1
    assert run_at(datetime.datetime(2025, 11, 8, 8, 0, tzinfo=CST)).written == 1
    assert ticket.reply_stage == ReplyStage.WRITTEN and ticket.escalation_level == 2
    # Five working days after Thu 11-06: 11-07, 10, 11, 12, 13 → 通报 on Thu 11-13.
    assert run_at(datetime.datetime(2025, 11, 12, 23, 0, tzinfo=CST)).criticised == 0
    assert run_at(datetime.datetime(2025, 11, 13, 8, 0, tzinfo=CST)).criticised == 1
    assert ticket.reply_stage == ReplyStage.CRITICISED and ticket.escalation_level == 3
    assert _marks(ticket) == {
        "reply_remind",
        "reply_overdue",
        "reply_written",
        "reply_criticised",
    }
    assert Notification.objects.filter(recipient=supervisor, title="工单超期通报").count() == 1


def test_long_overdue_ticket_gets_the_highest_step_only(operator, category, handler):
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category, ticket_type="enquiry")
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    with time_machine.travel(MONDAY + datetime.timedelta(days=30), tick=False):
        report = supervise_tickets()
    assert report.criticised == 1 and report.written == report.overdue == report.reminded == 0


def test_a_replied_ticket_is_not_escalated(operator, category, handler):
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category, ticket_type="enquiry")
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
        services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已答复")
    with time_machine.travel(MONDAY + datetime.timedelta(days=10), tick=False):
        report = supervise_tickets()
    assert report.overdue == report.criticised == 0


def test_callback_reminder_the_day_after_the_reply(operator, category, handler):
    """H9: the caller is called back the day after the reply; operators are reminded once."""
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category)
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
        services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
        services.ticket_close(ticket_id=ticket.pk, actor=operator)
        assert supervise_tickets().callback_due == 0
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        assert supervise_tickets().callback_due == 1
        assert supervise_tickets().callback_due == 0
    assert Notification.objects.filter(recipient=operator, title="工单待回访").count() == 1


def test_a_reopened_ticket_is_supervised_again_in_its_new_round(operator, category, handler):
    """Marks are per dispatch round: a reopened ticket's new deadline is watched again."""
    with time_machine.travel(MONDAY, tick=False):
        ticket = _dispatched(operator, category)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False):
        assert supervise_tickets().sign_overdue == 1
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
        services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
        services.ticket_close(ticket_id=ticket.pk, actor=operator)
        services.ticket_callback(ticket_id=ticket.pk, actor=operator, satisfaction="dissatisfied")
    with time_machine.travel(MONDAY + datetime.timedelta(hours=6), tick=False):
        assert supervise_tickets().sign_overdue == 1
    assert TicketMark.objects.filter(ticket=ticket, threshold="sign_overdue").count() == 2


@pytest.mark.django_db(transaction=True)
def test_supervision_task_runs_through_celery_eagerly(default_time_limits, operator, category):
    with time_machine.travel(MONDAY, tick=False):
        _dispatched(operator, category)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False):
        result = supervise_task.apply().get()
    assert result["sign_overdue"] == 1
