"""Booking a slot (DOMAIN C3 预约办理, A13, A14): capacity, holidays, the per-person limit,
cancellation and no-shows."""

from __future__ import annotations

import datetime

import pytest

from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.halls import services
from apps.halls.models import Appointment, HallEvent, Slot
from apps.halls.workflow import AppointmentState
from apps.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.halls.conftest import NINE_THIRTY, TODAY

pytestmark = pytest.mark.django_db

NEXT_DAY = datetime.date(2026, 9, 30)


def first_slot(setup, day=NEXT_DAY):
    services.slots_open(hall=setup.hall, start=TODAY, days=3)
    return Slot.objects.filter(group=setup.departmental, day=day).order_by("starts").first()


def test_slots_skip_holidays_and_a_holiday_slot_cannot_be_booked_C3(setup, citizen):
    created = services.slots_open(hall=setup.hall, start=TODAY, days=3)
    days = sorted(set(Slot.objects.values_list("day", flat=True)))
    assert days == [TODAY, NEXT_DAY, datetime.date(2026, 10, 8)]
    # 6 half-hour slots in the morning, 7 in the afternoon, for each of the two groups.
    assert created == 3 * 13 * 2
    assert services.slots_open(hall=setup.hall, start=TODAY, days=3) == 0  # idempotent
    holiday = Slot.objects.create(
        group=setup.departmental,
        day=datetime.date(2026, 10, 2),
        starts=datetime.time(9),
        ends=datetime.time(9, 30),
        capacity=2,
    )
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=citizen, slot_id=holiday.pk, item=setup.item)
    assert exc.value.code == "holiday"


def test_booking_within_capacity_and_confirmation_with_code_C3(
    setup, citizen, other_citizen, django_capture_on_commit_callbacks
):
    slot = first_slot(setup)
    with django_capture_on_commit_callbacks():
        first = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    services.appointment_book(citizen=other_citizen, slot_id=slot.pk, item=setup.item)
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=UserFactory(), slot_id=slot.pk, item=setup.item)
    assert exc.value.code == "slot_full"
    slot.refresh_from_db()
    assert (slot.booked, slot.capacity) == (2, 2)
    assert len(first.code) == 8
    sent = Notification.objects.filter(recipient=citizen, category="hall")
    assert {n.channel for n in sent} == {"inbox", "sms"}
    assert all(first.code in n.body for n in sent)
    assert HallEvent.objects.filter(appointment=first, kind="booked", actor=citizen).exists()


def test_comprehensive_group_takes_bookings_for_any_item_of_the_hall_A11(setup, citizen):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    slot = Slot.objects.filter(group=setup.comprehensive, day=NEXT_DAY).first()
    appointment = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    assert appointment.slot.group == setup.comprehensive


def test_past_slots_and_staff_accounts_are_refused_C3(setup, citizen, window_staff):
    services.slots_open(hall=setup.hall, start=TODAY, days=1)
    past = Slot.objects.filter(group=setup.departmental, day=TODAY).order_by("starts").first()
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=citizen, slot_id=past.pk, item=setup.item)
    assert exc.value.code == "slot_past"
    with pytest.raises(PermissionDeniedError):
        services.appointment_book(citizen=window_staff, slot_id=past.pk, item=setup.item)


def test_per_person_limit_and_one_booking_per_item_and_day_C3(setup, citizen, settings):
    settings.HALLS_MAX_ACTIVE_APPOINTMENTS = 2
    services.slots_open(hall=setup.hall, start=TODAY, days=4)
    slots = list(Slot.objects.filter(group=setup.departmental).order_by("day", "starts"))
    later = [s for s in slots if s.day > TODAY]
    services.appointment_book(citizen=citizen, slot_id=later[0].pk, item=setup.item)
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=citizen, slot_id=later[1].pk, item=setup.item)
    assert exc.value.code == "duplicate_booking"
    other_day = next(s for s in later if s.day != later[0].day)
    services.appointment_book(citizen=citizen, slot_id=other_day.pk, item=setup.item)
    third_day = next(s for s in later if s.day not in {later[0].day, other_day.day})
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=citizen, slot_id=third_day.pk, item=setup.item)
    assert exc.value.code == "too_many_bookings"


def test_cancel_gives_the_place_back_until_the_cut_off_C3(
    setup, citizen, other_citizen, at_nine_thirty
):
    slot = first_slot(setup)
    appointment = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    with pytest.raises(ApplicationError):
        services.appointment_cancel(actor=other_citizen, appointment_id=appointment.pk)
    services.appointment_cancel(actor=citizen, appointment_id=appointment.pk, reason="有事")
    slot.refresh_from_db()
    assert slot.booked == 0
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    assert HallEvent.objects.filter(appointment=appointment, kind="cancelled").exists()

    again = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    start = datetime.datetime.combine(slot.day, slot.starts, tzinfo=NINE_THIRTY.tzinfo)
    at_nine_thirty.move_to(start - datetime.timedelta(minutes=30))
    with pytest.raises(ApplicationError) as exc:
        services.appointment_cancel(actor=citizen, appointment_id=again.pk)
    assert exc.value.code == "too_late_to_cancel"


def test_no_show_after_grace_releases_and_repeated_no_shows_suspend_booking_C3(
    setup, citizen, at_nine_thirty, settings
):
    settings.HALLS_NO_SHOW_LIMIT = 2
    services.slots_open(hall=setup.hall, start=TODAY, days=3)
    days = sorted(set(Slot.objects.filter(day__gt=TODAY).values_list("day", flat=True)))
    booked = []
    for day in days:
        slot = Slot.objects.filter(group=setup.departmental, day=day).order_by("starts")[0]
        booked.append(services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item))
    first = booked[0]
    start = datetime.datetime.combine(first.slot.day, first.slot.starts, tzinfo=NINE_THIRTY.tzinfo)
    at_nine_thirty.move_to(start + datetime.timedelta(minutes=10))
    assert services.appointment_mark_no_show(appointment_id=first.pk) is None  # within grace
    at_nine_thirty.move_to(start + datetime.timedelta(minutes=16))
    assert services.appointment_mark_no_show(appointment_id=first.pk) is not None
    assert services.appointment_mark_no_show(appointment_id=first.pk) is None  # idempotent
    first.refresh_from_db()
    first.slot.refresh_from_db()
    assert first.state == AppointmentState.NO_SHOW and first.slot.booked == 0

    second = booked[1]
    start2 = datetime.datetime.combine(
        second.slot.day, second.slot.starts, tzinfo=NINE_THIRTY.tzinfo
    )
    at_nine_thirty.move_to(start2 + datetime.timedelta(minutes=20))
    services.appointment_mark_no_show(appointment_id=second.pk)
    free = Slot.objects.filter(group=setup.departmental, day=days[-1]).order_by("-starts")[0]
    with pytest.raises(ApplicationError) as exc:
        services.appointment_book(citizen=citizen, slot_id=free.pk, item=setup.item)
    assert exc.value.code == "booking_suspended"
    assert Appointment.objects.filter(citizen=citizen, state="no_show").count() == 2


def test_reminder_the_day_before_is_sent_once_A14(setup, citizen):
    slot = first_slot(setup)
    appointment = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    assert services.appointment_remind(appointment_id=appointment.pk) is True
    assert services.appointment_remind(appointment_id=appointment.pk) is False
    reminders = Notification.objects.filter(recipient=citizen, title="预约办事提醒")
    assert reminders.count() == 2  # inbox and SMS, once
