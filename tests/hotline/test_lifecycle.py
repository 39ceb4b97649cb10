"""The full loop of a ticket, one transition at a time (DOMAIN H1, H3, H5, H8, H9)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.hotline import services
from apps.hotline.models import CallerMessage, ExtensionRequest, Ticket, TicketEvent, TimeLimit
from apps.hotline.workflow import Closure, Satisfaction, TicketState, TicketType, Urgency
from apps.notifications.models import Notification
from tests.hotline.factories import call, published_article

pytestmark = pytest.mark.django_db

# Monday 2025-09-22 10:00 Asia/Shanghai: National Day (10-01..10-08) ahead.
MONDAY = datetime.datetime(
    2025, 9, 22, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)


def _take(operator, category, **overrides) -> Ticket:
    return services.ticket_take_call(actor=operator, data=call(category, **overrides))


def _dispatched(operator, category, **overrides) -> Ticket:
    ticket = _take(operator, category, **overrides)
    return services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)


def test_intake_records_the_call_with_encrypted_phone_and_a_number(operator, category):
    """H4: the call becomes a numbered ticket; the phone is stored encrypted (A17)."""
    ticket = _take(operator, category)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.PENDING_DISPATCH
    assert ticket.number and ticket.number.endswith(f"{ticket.pk:06d}")
    assert ticket.caller_phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM hotline_ticket WHERE id = %s", [ticket.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CREATED).exists()
    assert ticket.history.earliest().number == ticket.number


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"content": "  "}, "content_required"),
        ({"category_id": 999999}, "unknown_category"),
        ({"category_id": "x\x00"}, "unknown_category"),
        ({"ticket_type": "rumour"}, "invalid_type"),
        ({"caller_phone": "12ab"}, "invalid_phone"),
        ({"district": "火星区"}, "unknown_district"),
    ],
)
def test_bad_intake_is_refused_and_changes_nothing(operator, category, overrides, code):
    """Bad input: no content, unknown category … refused with a clear message (H4)."""
    with pytest.raises(ApplicationError) as exc:
        _take(operator, category, **overrides)
    assert exc.value.code == code
    assert not Ticket.objects.exists()


def test_only_the_centre_takes_calls(handler, citizen, category):
    for actor in (handler, citizen):
        with pytest.raises(PermissionDeniedError):
            _take(actor, category)


def test_parent_category_is_not_a_ticket_category(operator, category):
    with pytest.raises(ApplicationError) as exc:
        _take(operator, category, category_id=category.parent_id)
    assert exc.value.code == "unknown_category"


def test_enquiry_answered_from_the_knowledge_base_is_closed_on_the_spot(operator, category):
    """H2, H5 首问负责: closed on the spot, recording which article answered."""
    article = published_article(category=category)
    ticket = _take(operator, category, ticket_type=TicketType.ENQUIRY)
    services.ticket_answer_on_spot(ticket_id=ticket.pk, actor=operator, article_id=article.pk)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    assert ticket.closure == Closure.ANSWERED_ON_SPOT
    assert ticket.kb_article == article
    event = ticket.events.get(to_state=TicketState.CLOSED)
    assert event.payload == {"article_id": article.pk}


def test_expired_or_unpublished_article_cannot_answer(operator, category):
    """H2: only current articles answer."""
    expired = published_article(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    ticket = _take(operator, category, ticket_type=TicketType.ENQUIRY)
    with pytest.raises(ApplicationError) as exc:
        services.ticket_answer_on_spot(ticket_id=ticket.pk, actor=operator, article_id=expired.pk)
    assert exc.value.code == "article_not_current"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.PENDING_DISPATCH


def test_a_complaint_is_not_closed_from_the_knowledge_base(operator, category):
    article = published_article()
    ticket = _take(operator, category)
    with pytest.raises(ApplicationError):
        services.ticket_answer_on_spot(ticket_id=ticket.pk, actor=operator, article_id=article.pk)


def test_emergency_transfer_records_target_and_time(operator, category):
    """H3: one-key transfer to 110, recorded with time and target; closed as transferred."""
    ticket = _take(operator, category)
    services.ticket_transfer(ticket_id=ticket.pk, actor=operator, target="110")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.TRANSFERRED
    assert ticket.transfer_target == "110"
    assert ticket.transferred_at is not None
    event = ticket.events.get(to_state=TicketState.TRANSFERRED)
    assert event.payload["target"] == "110"
    with pytest.raises(InvalidTransitionError):
        services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)


def test_same_caller_is_flagged_and_merged_and_told_the_main_number(
    operator, category, django_capture_on_commit_callbacks
):
    """H9 并单: the same caller within the window is flagged; the merge tells the caller."""
    main = _take(operator, category)
    with django_capture_on_commit_callbacks(execute=False):
        second = _take(operator, category, content="还是那个工地，又在夜间施工。", address="")
    assert second.possible_duplicate_of_id == main.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.ticket_merge(ticket_id=second.pk, main_id=main.pk, actor=operator)
    second.refresh_from_db()
    assert second.state == TicketState.MERGED and second.merged_into_id == main.pk
    message = CallerMessage.objects.get(dedupe_key=f"hotline:{second.pk}:merged")
    assert main.number in message.text
    assert len(callbacks) == 1  # the SMS is queued after commit


def test_same_place_and_category_is_flagged(operator, category):
    """H9: same place and category within the window, another caller."""
    main = _take(operator, category)
    other = _take(operator, category, caller_phone="13700000000")
    assert other.possible_duplicate_of_id == main.pk


def test_merge_into_a_closed_ticket_is_refused(operator, category):
    main = _take(operator, category)
    services.ticket_transfer(ticket_id=main.pk, actor=operator, target="119")
    second = _take(operator, category, caller_phone="13700000001", address="别处")
    with pytest.raises(ApplicationError) as exc:
        services.ticket_merge(ticket_id=second.pk, main_id=main.pk, actor=operator)
    assert exc.value.code == "main_not_open"


@time_machine.travel(MONDAY, tick=False)
def test_dispatch_suggests_the_owner_and_sets_working_day_deadline(
    operator, category, department, handler, django_capture_on_commit_callbacks
):
    """H1, H8, H9: dispatched to the category's department; a complaint gets 15 working
    days on the official calendar (across National Day), sign-off 2 hours."""
    ticket = _dispatched(operator, category)
    assert ticket.department == department
    assert ticket.state == TicketState.DISPATCHED
    local = ticket.reply_due_at.astimezone(MONDAY.tzinfo)
    # 15 working days from Mon 09-22: 09-23..09-30 (7, Sun 09-28 a make-up day), National
    # Day 10-01..10-08 off, 10-09, 10-10, Sat 10-11 (make-up), 10-13..10-17 → 10-17.
    assert local.date() == datetime.date(2025, 10, 17)
    assert ticket.sign_due_at == MONDAY + datetime.timedelta(hours=2)
    assert Notification.objects.filter(recipient=handler, category="hotline").exists()


@time_machine.travel(MONDAY, tick=False)
def test_urgent_tickets_are_due_in_hours(operator, category):
    """H8: urgent in hours (default 8)."""
    ticket = _take(operator, category, urgency=Urgency.URGENT)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    ticket.refresh_from_db()
    assert ticket.reply_due_at == MONDAY + datetime.timedelta(hours=8)
    assert ticket.sign_due_at == MONDAY + datetime.timedelta(hours=1)


def test_category_specific_limit_wins(operator, category):
    """H8: limits configurable per category and urgency."""
    TimeLimit.objects.create(
        category=category, urgency=Urgency.NORMAL, sign_hours=1, reply_working_days=2
    )
    ticket = _dispatched(operator, category)
    assert (ticket.reply_due_at - ticket.dispatched_at).days <= 5


def test_sign_by_the_wrong_department_is_refused(operator, category, other_dept_staff):
    ticket = _dispatched(operator, category)
    with pytest.raises(PermissionDeniedError):
        services.ticket_sign(ticket_id=ticket.pk, actor=other_dept_staff)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.DISPATCHED


def test_return_needs_a_reason_and_is_limited_per_department(
    operator, category, handler, department
):
    """H9 退单: with a reason, reviewed by the centre; a second return is refused."""
    ticket = _dispatched(operator, category)
    with pytest.raises(ApplicationError) as exc:
        services.ticket_return(ticket_id=ticket.pk, actor=handler, reason=" ")
    assert exc.value.code == "reason_required"
    services.ticket_return(ticket_id=ticket.pk, actor=handler, reason="不属于本部门职责。")
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.RETURNED
    services.ticket_reject_return(ticket_id=ticket.pk, actor=operator, reason="属于你局职责。")
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.DISPATCHED
    with pytest.raises(ApplicationError) as exc:
        services.ticket_return(ticket_id=ticket.pk, actor=handler, reason="再次退单")
    assert exc.value.code == "return_limit"
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.DISPATCHED


def test_redispatch_after_return_goes_to_another_department_with_a_new_clock(
    operator, category, handler, other_department, co_staff
):
    ticket = _dispatched(operator, category)
    services.ticket_return(ticket_id=ticket.pk, actor=handler, reason="属交通部门职责")
    services.ticket_redispatch(
        ticket_id=ticket.pk, actor=operator, department_id=other_department.pk
    )
    ticket.refresh_from_db()
    assert ticket.department == other_department and ticket.cycle == 2
    services.ticket_sign(ticket_id=ticket.pk, actor=co_staff)
    with pytest.raises(PermissionDeniedError):
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)


def test_joint_handling_names_a_lead_and_co_handlers(
    operator, category, handler, other_department, co_staff
):
    """H9: lead department and co-handlers; the co-handler gives its part."""
    ticket = _take(operator, category)
    services.ticket_dispatch(
        ticket_id=ticket.pk, actor=operator, co_department_ids=[other_department.pk]
    )
    services.ticket_co_reply(ticket_id=ticket.pk, actor=co_staff, text="已安排交警巡查。")
    co = ticket.co_handlers.get()
    assert co.department == other_department and co.replied_at is not None
    # The co-handler is not the lead: it cannot sign or reply.
    with pytest.raises(PermissionDeniedError):
        services.ticket_sign(ticket_id=ticket.pk, actor=co_staff)
    with pytest.raises(PermissionDeniedError):
        services.ticket_co_reply(ticket_id=ticket.pk, actor=handler, text="x")


@time_machine.travel(MONDAY, tick=False)
def test_extension_is_approved_by_the_centre_and_moves_the_deadline(
    operator, category, handler, supervisor
):
    """H9: extensions only with reasons, approved by the centre."""
    ticket = _dispatched(operator, category)
    services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    extension = services.ticket_request_extension(
        ticket_id=ticket.pk, actor=handler, reason="需要现场测量噪声。", working_days=3
    )
    with pytest.raises(ApplicationError):
        services.ticket_request_extension(
            ticket_id=ticket.pk, actor=handler, reason="再延", working_days=1
        )
    with pytest.raises(PermissionDeniedError):
        services.ticket_decide_extension(extension_id=extension.pk, actor=handler, approve=True)
    before = Ticket.objects.get(pk=ticket.pk).reply_due_at
    services.ticket_decide_extension(extension_id=extension.pk, actor=supervisor, approve=True)
    after = Ticket.objects.get(pk=ticket.pk).reply_due_at
    assert after.astimezone(MONDAY.tzinfo).date() == datetime.date(2025, 10, 22)
    assert after > before
    assert ExtensionRequest.objects.get(pk=extension.pk).status == "approved"
    with pytest.raises(ApplicationError):
        services.ticket_decide_extension(extension_id=999999, actor=supervisor, approve=True)


@time_machine.travel(MONDAY, tick=False)
def test_reply_close_callback_satisfied(operator, category, handler):
    """H8 loop: reply → centre closes (caller told, H7) → call-back the day after (H9)."""
    ticket = _dispatched(operator, category)
    with pytest.raises(InvalidTransitionError):
        services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
    services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已责令工地停止夜间施工。")
    ticket.refresh_from_db()
    assert ticket.callback_due_on == datetime.date(2025, 9, 23)
    services.ticket_close(ticket_id=ticket.pk, actor=operator)
    msg = CallerMessage.objects.get(dedupe_key__startswith=f"hotline:{ticket.pk}:closed")
    assert "停止夜间施工" in msg.text
    services.ticket_callback(
        ticket_id=ticket.pk, actor=operator, satisfaction=Satisfaction.SATISFIED
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED and ticket.satisfaction == "satisfied"
    assert ticket.events.filter(kind=TicketEvent.Kind.REVIEW_RECORDED).count() == 1
    with pytest.raises(ApplicationError):
        services.ticket_callback(
            ticket_id=ticket.pk, actor=operator, satisfaction=Satisfaction.SATISFIED
        )


def test_send_back_returns_the_reply_to_the_department(operator, category, handler):
    ticket = _dispatched(operator, category)
    services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
    services.ticket_send_back(ticket_id=ticket.pk, actor=operator, reason="答复未说明处理结果")
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.IN_PROGRESS


def test_unsatisfied_callback_reopens_once_then_escalates(operator, category, handler, supervisor):
    """H9: an unsatisfied call-back caused by the department reopens (重办) once; then it
    escalates to the supervisors."""
    ticket = _dispatched(operator, category)

    def handle_and_close():
        services.ticket_sign(ticket_id=ticket.pk, actor=handler)
        services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
        services.ticket_close(ticket_id=ticket.pk, actor=operator)

    handle_and_close()
    services.ticket_callback(
        ticket_id=ticket.pk, actor=operator, satisfaction=Satisfaction.DISSATISFIED
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.DISPATCHED
    assert ticket.reopen_count == 1 and ticket.cycle == 2
    handle_and_close()
    services.ticket_callback(
        ticket_id=ticket.pk, actor=operator, satisfaction=Satisfaction.VERY_DISSATISFIED
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    assert ticket.escalation_level == 3
    assert ticket.events.filter(kind=TicketEvent.Kind.ESCALATED).count() == 1
    assert Notification.objects.filter(
        recipient=supervisor, dedupe_key__contains="reopen_escalated"
    ).exists()


def test_answered_on_spot_is_not_called_back(operator, category):
    article = published_article()
    ticket = _take(operator, category, ticket_type=TicketType.ENQUIRY)
    services.ticket_answer_on_spot(ticket_id=ticket.pk, actor=operator, article_id=article.pk)
    with pytest.raises(ApplicationError) as exc:
        services.ticket_callback(
            ticket_id=ticket.pk, actor=operator, satisfaction=Satisfaction.SATISFIED
        )
    assert exc.value.code == "callback_not_due"
