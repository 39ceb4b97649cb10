"""The halls' periodic passes (A14, C3, S2): idempotent, batched."""

from __future__ import annotations

import datetime

import pytest

from apps.halls import services, tasks
from apps.halls.models import Appointment, HallEvent, Slot
from apps.halls.services import sweeps
from apps.halls.workflow import AppointmentState
from apps.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.halls.conftest import NINE_THIRTY, TODAY

pytestmark = pytest.mark.django_db


def test_open_slots_for_every_bookable_hall_is_idempotent_C3(setup):
    created = tasks.open_slots()
    assert created == Slot.objects.count() > 0
    assert tasks.open_slots() == 0


def test_reminders_the_day_before_once_in_small_batches_A14(setup, at_nine_thirty):
    tasks.open_slots()
    tomorrow = Slot.objects.filter(day=datetime.date(2026, 9, 30)).order_by("starts")
    people = [UserFactory() for _ in range(3)]
    for person, slot in zip(people, tomorrow, strict=False):
        services.appointment_book(citizen=person, slot_id=slot.pk, item=setup.item)
    later = Slot.objects.filter(day=datetime.date(2026, 10, 8)).first()
    services.appointment_book(citizen=people[0], slot_id=later.pk, item=setup.item)
    assert sweeps.remind_appointments(batch_size=2) == 3
    assert tasks.remind_appointments() == 0
    assert Notification.objects.filter(title="预约办事提醒", channel="sms").count() == 3


def test_no_shows_released_after_grace_once_C3(setup, at_nine_thirty):
    tasks.open_slots()
    slot = Slot.objects.get(group=setup.departmental, day=TODAY, starts=datetime.time(10))
    at_nine_thirty.move_to(NINE_THIRTY - datetime.timedelta(days=1))
    appointment = services.appointment_book(citizen=UserFactory(), slot_id=slot.pk, item=setup.item)
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(minutes=40))  # 10:10
    assert tasks.release_no_shows() == 0
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(minutes=46))  # 10:16
    assert tasks.release_no_shows() == 1
    assert tasks.release_no_shows() == 0
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.NO_SHOW
    assert HallEvent.objects.filter(appointment=appointment, kind="no_show").count() == 1
    assert Appointment.objects.filter(state="booked").count() == 0


def test_overdue_hard_cases_escalate_once_S2(setup, window_staff, supervisor, at_nine_thirty):
    services.hard_case_open(
        actor=window_staff,
        hall=setup.hall,
        contact_name="王小明",
        problem="证明开不出来，多个部门都说不归自己管",
        cause="passing_the_buck",
    )
    assert tasks.escalate_hard_cases() == 0
    at_nine_thirty.move_to(NINE_THIRTY + datetime.timedelta(days=20))
    assert tasks.escalate_hard_cases() == 1
    assert tasks.escalate_hard_cases() == 0
