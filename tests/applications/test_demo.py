"""The demo cases that `make run` loads: real states through the real services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.applications.models import Application
from apps.applications.selectors import application_list_for_applicant, application_queue_for_staff
from apps.applications.workflow import State


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_a_case_in_each_state_a_demo_login_acts_on(seeded):
    # The pledge route's demo cases (apps/pledges/demo.py) are counted in tests/pledges.
    states = sorted(Application.objects.filter(pledge__isnull=True).values_list("state", flat=True))

    assert states == sorted(
        [
            State.SUBMITTED,
            State.SUBMITTED,
            State.CORRECTION_REQUESTED,
            State.UNDER_REVIEW,
            State.UNDER_REVIEW,
            State.APPROVED,
        ]
    )
    approved = Application.objects.get(state=State.APPROVED, pledge__isnull=True)
    assert approved.due_date is not None
    assert approved.documents.count() >= 2  # 受理通知书 and the result (A4, A16)


def test_demo_cases_show_up_for_the_people_who_handle_them(seeded):
    citizen = User.objects.get(full_name="王小明", kind=User.Kind.CITIZEN)
    window_scjg = User.objects.get(username="window_scjg")
    window_gaj = User.objects.get(username="window_gaj")

    assert application_list_for_applicant(user=citizen).count() == 2
    new_for_scjg = application_queue_for_staff(user=window_scjg, bucket="new")
    assert [a.item.name for a in new_for_scjg] == ["食品经营许可"]
    assert [a.item.name for a in application_queue_for_staff(user=window_gaj, bucket="new")] == [
        "无犯罪记录证明开具"
    ]


def test_seeding_twice_adds_no_cases(seeded):
    before = Application.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert Application.objects.count() == before
    assert Application.objects.filter(pledge__isnull=True).count() == 6  # tests/pledges: the rest
