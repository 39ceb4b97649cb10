"""Real concurrent transactions on Postgres (tests/support/races.py): a slot is never booked
beyond its capacity, no number is given twice, no number is called by two windows
(DOMAIN C3, A13)."""

from __future__ import annotations

import datetime

import pytest

from apps.accounts.models import ServiceWindow
from apps.accounts.roles import Role
from apps.halls import services
from apps.halls.models import Appointment, Slot, Ticket
from tests.accounts.factories import StaffFactory, UserFactory
from tests.halls.conftest import TODAY
from tests.support.races import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twelve_citizens_racing_never_overbook_a_slot_C3(setup):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    slot = Slot.objects.filter(group=setup.departmental, day__gt=TODAY).first()
    people = [UserFactory() for _ in range(12)]
    results = race(
        *(
            lambda p=p: services.appointment_book(citizen=p, slot_id=slot.pk, item=setup.item)
            for p in people
        )
    )
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if not isinstance(r, Appointment)]
    assert len(booked) == slot.capacity == 2
    assert all(getattr(r, "code", "") == "slot_full" for r in refused)
    slot.refresh_from_db()
    assert slot.booked == 2 == Appointment.objects.filter(slot=slot).count()


def test_numbers_taken_at_once_are_all_different_A13(setup):
    results = race(
        *(lambda: services.ticket_take(hall=setup.hall, item=setup.item) for _ in range(10))
    )
    assert all(isinstance(r, Ticket) for r in results), results
    assert sorted(r.number for r in results) == list(range(1, 11))


def test_windows_calling_at_once_never_get_the_same_number_A13(setup, hall_manager, department):
    extra = []
    for n in range(4, 10):
        window = ServiceWindow.objects.create(center=setup.center, number=str(n), name="综合")
        services.window_place(actor=hall_manager, window=window, group=setup.comprehensive)
        person = StaffFactory(role=Role.WINDOW_STAFF, departments=[department])
        services.shift_add(
            actor=hall_manager,
            window=window,
            staff=person,
            day=TODAY,
            starts=datetime.time(8),
            ends=datetime.time(18),
        )
        extra.append((person, window))
    for _ in range(5):
        services.ticket_take(hall=setup.hall, item=setup.item)
    results = race(
        *(lambda p=p, w=w: services.ticket_call_next(actor=p, window=w) for p, w in extra)
    )
    called = [r for r in results if isinstance(r, Ticket)]
    assert len(called) == 5 and results.count(None) == 1, results
    assert len({t.pk for t in called}) == 5
    assert Ticket.objects.filter(state="calling").count() == 5
