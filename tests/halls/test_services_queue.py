"""Queue numbers (现场取号 beside 预约, seed 002 §10; DOMAIN A13, A11, R1)."""

from __future__ import annotations

import datetime

import pytest

from apps.accounts.roles import Role
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.halls import services
from apps.halls.models import HallEvent, Slot
from apps.halls.workflow import AppointmentState, Priority, TicketState
from apps.reviews.models import ServiceEvent
from tests.accounts.factories import StaffFactory, UserFactory, make_resident_id
from tests.halls.conftest import NINE_THIRTY, TODAY

pytestmark = pytest.mark.django_db


def book_now(setup, citizen, at_nine_thirty):
    """An appointment at 10:00 today, booked the day before, checked in at 9:30."""
    services.slots_open(hall=setup.hall, start=TODAY, days=1)
    at_nine_thirty.move_to(NINE_THIRTY - datetime.timedelta(days=1))
    slot = Slot.objects.get(group=setup.comprehensive, day=TODAY, starts=datetime.time(10))
    appointment = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    at_nine_thirty.move_to(NINE_THIRTY)
    return appointment


def test_green_channel_then_appointments_then_walk_ins_by_rule_A13(
    setup, window_staff, at_nine_thirty
):
    young = UserFactory(id_number=make_resident_id(birth=datetime.date(1990, 5, 1)))
    appointment = book_now(setup, young, at_nine_thirty)
    walk_in = services.ticket_take(hall=setup.hall, item=setup.item)
    by_code = services.ticket_take_by_code(hall=setup.hall, code=appointment.code.lower())
    elderly = UserFactory(id_number=make_resident_id(birth=datetime.date(1950, 5, 1)))
    green = services.ticket_take(hall=setup.hall, item=setup.item, citizen=elderly)
    declared = services.ticket_take(hall=setup.hall, item=setup.item, green_reason="pregnant")

    assert (walk_in.priority, by_code.priority) == (Priority.WALK_IN, Priority.APPOINTMENT)
    assert (green.priority, green.green_reason) == (Priority.GREEN_CHANNEL, "elderly")
    assert declared.priority == Priority.GREEN_CHANNEL
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN

    window = setup.windows[0]
    called = []
    for _ in range(4):
        ticket = services.ticket_call_next(actor=window_staff, window=window)
        called.append(ticket.pk)
        services.ticket_finish(actor=window_staff, window=window)
    assert called == [green.pk, declared.pk, by_code.pk, walk_in.pk]
    assert services.ticket_call_next(actor=window_staff, window=window) is None


def test_item_tickets_go_to_the_comprehensive_window_A11(setup):
    ticket = services.ticket_take(hall=setup.hall, item=setup.item)
    assert ticket.group == setup.comprehensive
    assert ticket.display == "A001"
    departmental = services.ticket_take(hall=setup.hall, group=setup.departmental)
    assert departmental.display == "B001"


def test_appointment_code_only_around_its_slot_C3(setup, citizen, at_nine_thirty):
    appointment = book_now(setup, citizen, at_nine_thirty)
    at_nine_thirty.move_to(NINE_THIRTY - datetime.timedelta(minutes=45))
    with pytest.raises(ApplicationError) as exc:
        services.ticket_take_by_code(hall=setup.hall, code=appointment.code)
    assert exc.value.code == "too_early"
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(minutes=50))
    with pytest.raises(ApplicationError) as exc:
        services.ticket_take_by_code(hall=setup.hall, code=appointment.code)
    assert exc.value.code == "too_late"
    with pytest.raises(ApplicationError) as exc:
        services.ticket_take_by_code(hall=setup.hall, code="ZZZZZZZZ")
    assert exc.value.code == "unknown_code"


def test_only_staff_on_duty_at_the_window_call_R5(setup, window_staff, other_dept_staff, citizen):
    services.ticket_take(hall=setup.hall, item=setup.item)
    with pytest.raises(PermissionDeniedError):
        services.ticket_call_next(actor=other_dept_staff, window=setup.windows[0])
    with pytest.raises(PermissionDeniedError):
        services.ticket_call_next(actor=citizen, window=setup.windows[0])
    with pytest.raises(PermissionDeniedError):  # on duty at window 1, not window 2
        services.ticket_call_next(actor=window_staff, window=setup.windows[1])
    assert services.ticket_call_next(actor=window_staff, window=setup.windows[0]) is not None


def test_recall_skip_transfer_keep_times_and_place_A13(
    setup, window_staff, hall_manager, department, at_nine_thirty
):
    window = setup.windows[0]
    third = StaffFactory(role=Role.WINDOW_STAFF, departments=[department])
    services.shift_add(
        actor=hall_manager,
        window=setup.windows[2],
        staff=third,
        day=TODAY,
        starts=datetime.time(9),
        ends=datetime.time(12),
    )
    first = services.ticket_take(hall=setup.hall, item=setup.item)
    at_nine_thirty.shift(60)
    services.ticket_take(hall=setup.hall, group=setup.departmental)
    at_nine_thirty.shift(60)
    services.ticket_call_next(actor=window_staff, window=window)
    with pytest.raises(ApplicationError) as exc:
        services.ticket_call_next(actor=window_staff, window=window)
    assert exc.value.code == "still_held"
    recalled = services.ticket_recall(actor=window_staff, window=window)
    assert recalled.call_count == 2
    moved = services.ticket_transfer(
        actor=window_staff, window=window, to_group=setup.departmental, note="专窗办理"
    )
    assert (moved.state, moved.window, moved.group) == (
        TicketState.WAITING,
        None,
        setup.departmental,
    )
    # At window 3 (B) the transferred A001 keeps its place before B001.
    services.ticket_call_next(actor=third, window=setup.windows[2])
    held = services.ticket_start(actor=third, window=setup.windows[2])
    assert held.pk == first.pk and held.wait_seconds == 120
    at_nine_thirty.shift(300)
    done = services.ticket_finish(actor=third, window=setup.windows[2])
    assert (done.state, done.serve_seconds) == (TicketState.DONE, 300)
    kinds = list(HallEvent.objects.filter(ticket=first).values_list("kind", flat=True))
    assert kinds == [
        "ticket_taken",
        "called",
        "recalled",
        "transferred",
        "called",
        "serving",
        "finished",
    ]


def test_finishing_a_number_opens_a_window_rating_R1(setup, window_staff):
    services.ticket_take(hall=setup.hall, item=setup.item)
    services.ticket_call_next(actor=window_staff, window=setup.windows[0])
    ticket = services.ticket_finish(actor=window_staff, window=setup.windows[0])
    event = ServiceEvent.objects.get(kind="hall_ticket", reference=str(ticket.pk))
    assert (event.window_id, event.staff_id, event.item_id) == (
        setup.windows[0].pk,
        window_staff.pk,
        setup.item.pk,
    )
    assert event.expires_at is not None  # a QR/token rating, 一次一评


def test_skip_ends_the_ticket_A13(setup, window_staff):
    services.ticket_take(hall=setup.hall, item=setup.item)
    services.ticket_call_next(actor=window_staff, window=setup.windows[0])
    skipped = services.ticket_skip(actor=window_staff, window=setup.windows[0])
    assert skipped.state == TicketState.SKIPPED
    with pytest.raises(ApplicationError):
        services.ticket_finish(actor=window_staff, window=setup.windows[0])
