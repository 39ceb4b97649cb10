"""The demo halls (issue #15): three service centres with windows, a rota, free slots for
the coming working days and a morning's queue; seeding again changes nothing."""

from __future__ import annotations

import pytest
import time_machine

from apps.accounts import demo as accounts_demo
from apps.applications.models import Application
from apps.catalogue import demo as catalogue_demo
from apps.halls import demo
from apps.halls.models import (
    Appointment,
    HallProfile,
    HandOut,
    HardCase,
    RotaShift,
    Slot,
    Ticket,
    WindowGroup,
)
from tests.halls.conftest import NINE_THIRTY, TODAY

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (HallProfile, WindowGroup, RotaShift, Slot, Ticket, Appointment, HardCase, HandOut)
    )


@time_machine.travel(NINE_THIRTY, tick=False)
def test_demo_halls_are_complete_and_idempotent():
    accounts_demo.seed_demo()
    catalogue_demo.seed_demo()
    demo.seed_demo()
    assert HallProfile.objects.count() == 3
    city = HallProfile.objects.get(center__code=accounts_demo.CITY_CENTER_CODE)
    assert set(city.groups.values_list("kind", flat=True)) >= {
        "comprehensive",
        "departmental",
        "assisted",
        "hard_case",
    }
    assert RotaShift.objects.filter(day=TODAY).count() == 2
    assert Slot.objects.filter(day__gt=TODAY).exists()
    today = Ticket.objects.filter(day=TODAY)
    assert today.count() == 13 and today.filter(state="done").count() == 3
    assert Appointment.objects.filter(citizen__username="demo_citizen").count() == 1
    # A11: a decided case taken in at the comprehensive window, waiting there to be handed out.
    pending = HandOut.objects.get(handed_out_at__isnull=True)
    assert pending.window.number == "01" and pending.application.state == "approved"
    assert pending.application.applicant.username == "demo_citizen"
    # C8: the demo citizen's 退休一件事 runs its first stage; the second waits for it.
    members = Application.objects.filter(bundle_application__bundle__code="YJS-TX")
    assert set(members.filter(bundle_stage=1).values_list("state", flat=True)) == {"submitted"}
    assert set(members.filter(bundle_stage=2).values_list("state", flat=True)) == {"waiting"}
    before = _counts()
    demo.seed_demo()
    assert _counts() == before
