"""The halls API: the allowed and the denied persona for each action; structured errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.halls import services
from apps.halls.models import Appointment, HardCase, Slot, Ticket
from tests.halls.conftest import TODAY

pytestmark = pytest.mark.django_db

BASE = "/api/v1/halls"


@pytest.fixture
def api():
    return APIClient()


def test_public_halls_and_slots_C3(setup, api):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    halls = api.get(f"{BASE}/").json()
    assert [h["name"] for h in halls] == ["市民服务中心"]
    slots = api.get(f"{BASE}/{setup.hall.pk}/slots", {"item": setup.item.pk}).json()
    assert slots and slots[0]["free"] == 2
    bad = api.get(f"{BASE}/{setup.hall.pk}/slots", {"item": "x"})
    assert bad.status_code == 400


def test_booking_needs_a_citizen_and_full_slots_are_refused_C3(
    setup, api, citizen, other_citizen, window_staff
):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    slot = Slot.objects.filter(group=setup.departmental, day__gt=TODAY).first()
    body = {"slot": slot.pk, "item": setup.item.pk}
    assert api.post(f"{BASE}/appointments", body).status_code == 403
    api.force_authenticate(window_staff)
    assert api.post(f"{BASE}/appointments", body).status_code == 403
    api.force_authenticate(citizen)
    created = api.post(f"{BASE}/appointments", body)
    assert created.status_code == 201 and len(created.json()["code"]) == 8
    api.force_authenticate(other_citizen)
    api.post(f"{BASE}/appointments", body)
    api.force_authenticate(citizen)
    again = api.post(f"{BASE}/appointments", {"slot": slot.pk, "item": setup.item.pk})
    assert again.status_code == 400 and again.json()["error"]["code"] == "duplicate_booking"
    api.force_authenticate(other_citizen)
    code = created.json()["code"]
    assert api.post(f"{BASE}/appointments/{code}/cancel").status_code == 404
    api.force_authenticate(citizen)
    assert api.post(f"{BASE}/appointments/{code}/cancel").json()["state"] == "cancelled"
    assert api.post(f"{BASE}/appointments", {"slot": "x"}).status_code == 400
    assert Appointment.objects.filter(state="booked").count() == 1


def test_anyone_takes_a_number_bad_codes_are_explained_A13(setup, api):
    taken = api.post(f"{BASE}/{setup.hall.pk}/tickets", {"item": setup.item.pk})
    assert taken.status_code == 201 and taken.json()["number"] == "A001"
    bad = api.post(f"{BASE}/{setup.hall.pk}/tickets", {"code": "ABCDEFGH"})
    assert bad.status_code == 400
    assert "预约码无效" in bad.json()["error"]["message"]
    assert api.post(f"{BASE}/{setup.hall.pk}/tickets", {"green_reason": "x"}).status_code == 400


def test_window_actions_only_for_staff_on_duty_A13(
    setup, api, citizen, window_staff, other_dept_staff
):
    services.ticket_take(hall=setup.hall, item=setup.item)
    url = f"{BASE}/windows/{setup.windows[0].pk}/call"
    api.force_authenticate(citizen)
    assert api.post(url).status_code == 403
    api.force_authenticate(other_dept_staff)
    assert api.post(url).status_code == 403
    api.force_authenticate(window_staff)
    assert api.post(url).json()["number"] == "A001"
    finished = api.post(f"{BASE}/windows/{setup.windows[0].pk}/finish").json()
    assert finished["state"] == "done"
    assert api.post(url).json()["ticket"] is None
    assert Ticket.objects.get().served_by == window_staff


def test_hard_cases_over_the_api_S2(setup, api, citizen, window_staff):
    body = {
        "hall": setup.hall.pk,
        "contact_name": "王小明",
        "problem": "证明开不出来，两个部门互相推诿",
        "cause": "passing_the_buck",
    }
    api.force_authenticate(citizen)
    assert api.post(f"{BASE}/hard-cases", body).status_code == 403
    api.force_authenticate(window_staff)
    created = api.post(f"{BASE}/hard-cases", body)
    assert created.status_code == 201
    pk = created.json()["id"]
    assigned = api.post(f"{BASE}/hard-cases/{pk}/assign", {"coordinator": window_staff.pk})
    assert assigned.json()["state"] == "coordinating"
    early = api.post(f"{BASE}/hard-cases/{pk}/feedback", {"feedback": "satisfied"})
    assert early.status_code == 409
    assert api.post(f"{BASE}/hard-cases", {"hall": "x"}).status_code == 400
    assert HardCase.objects.count() == 1
