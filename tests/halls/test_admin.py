"""Admin screens of the halls: saves go through the services (C6), lists are cheap, personal
data masked."""

from __future__ import annotations

import pytest

from apps.halls import services
from apps.halls.models import RotaShift, Slot
from tests.halls.conftest import TODAY

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "hallprofile",
    "extendedhours",
    "windowgroup",
    "windowprofile",
    "rotashift",
    "slot",
    "appointment",
    "ticket",
    "hardcase",
    "hallevent",
    "socialsupervisor",
    "opinion",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_open_with_few_queries(
    setup, client, system_admin, model, django_assert_max_num_queries
):
    services.slots_open(hall=setup.hall, start=TODAY, days=1)
    services.ticket_take(hall=setup.hall, item=setup.item)
    client.force_login(system_admin)
    with django_assert_max_num_queries(20):
        response = client.get(f"/admin/halls/{model}/")
    assert response.status_code == 200


def test_a_shift_added_in_the_admin_obeys_the_rota_rules_R5(
    setup, client, hall_manager, window_staff
):
    client.force_login(hall_manager)
    form = {
        "window": setup.windows[2].pk,
        "staff": window_staff.pk,
        "day": TODAY.isoformat(),
        "starts": "09:00",
        "ends": "10:00",
        "post": "窗口受理",
    }
    response = client.post("/admin/halls/rotashift/add/", form, follow=True)
    assert "该工作人员在此时段已有排班" in response.content.decode()
    assert RotaShift.objects.filter(window=setup.windows[2]).count() == 0


def test_open_slots_action_and_masked_appointments(setup, client, hall_manager, citizen):
    client.force_login(hall_manager)
    client.post(
        "/admin/halls/hallprofile/",
        {"action": "open_slots", "_selected_action": [setup.hall.pk]},
    )
    assert Slot.objects.filter(group__hall=setup.hall).exists()
    slot = Slot.objects.filter(day__gt=TODAY).first()
    services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    page = client.get("/admin/halls/appointment/").content.decode()
    assert citizen.phone not in page and citizen.masked_phone in page
