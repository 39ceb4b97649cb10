"""The tolerance demo: a case waiting for a supplement, one waiting for the window, one
about to lapse — through the real services, and idempotent."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from apps.notifications.models import Notification
from apps.tolerance.models import MaterialSupply, Pledge
from apps.tolerance.workflow import SupplyState
from apps.workdays.calendar import add_working_days


def test_demo_gives_every_role_a_tolerant_case_to_act_on(db):
    call_command("seed_demo", stdout=StringIO())
    assert Pledge.objects.count() == 3
    states = sorted(MaterialSupply.objects.values_list("state", flat=True))
    assert states.count(SupplyState.SUBMITTED) >= 1 and states.count(SupplyState.MISSING) >= 2
    tomorrow = add_working_days(timezone.localdate(), 1)
    lapsing = MaterialSupply.objects.get(due_date=tomorrow)
    assert Notification.objects.filter(
        recipient=lapsing.application.applicant, title="容缺材料补齐提醒"
    ).exists()
    call_command("seed_demo", stdout=StringIO())
    assert Pledge.objects.count() == 3
