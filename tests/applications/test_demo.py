"""The demo cases that `make run` loads: real states through the real services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.console_selectors import TO_DECIDE, TO_REVIEW, console_queue
from apps.applications.models import Application, Channel
from apps.applications.selectors import (
    application_list_for_applicant,
    application_queue_for_staff,
    supervision_overview,
)
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
            State.UNDER_REVIEW,
            State.ACCEPTED,
            State.APPROVED,
            # The tolerance demo's cases (apps/tolerance/demo.py).
            State.TOLERANT_ACCEPTED,
            State.TOLERANT_ACCEPTED,
            State.TOLERANT_ACCEPTED,
            # The halls demo's (apps/halls/demo.py): a case back at the comprehensive window
            # to hand out (A11), a 一件事 whose second stage waits for its first (C8).
            State.APPROVED,
            State.SUBMITTED,
            State.WAITING,
            State.WAITING,
        ]
    )
    approved = Application.objects.get(
        state=State.APPROVED, pledge__isnull=True, channel=Channel.ONLINE
    )
    assert approved.due_date is not None
    assert approved.documents.count() >= 2  # 受理通知书 and the result (A4, A16)


def test_demo_cases_show_up_for_the_people_who_handle_them(seeded):
    citizen = User.objects.get(full_name="王小明", kind=User.Kind.CITIZEN)
    window_scjg = User.objects.get(username="window_scjg")
    window_gaj = User.objects.get(username="window_gaj")

    # 3 + the tolerance demo's; 4 of the halls demo's (a hand-out, a 一件事 of three)
    assert application_list_for_applicant(user=citizen).count() == 7
    new_for_scjg = application_queue_for_staff(user=window_scjg, bucket="new")
    assert [a.item.name for a in new_for_scjg] == ["食品经营许可"]
    assert [a.item.name for a in application_queue_for_staff(user=window_gaj, bucket="new")] == [
        "无犯罪记录证明开具"
    ]


def test_seeding_twice_adds_no_cases(seeded):
    before = Application.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert Application.objects.count() == before
    # 8 + the tolerance demo's 3 + the halls demo's 4; the pledge demo's are in tests/pledges.
    assert Application.objects.filter(pledge__isnull=True).count() == 15


def test_the_supervisor_and_the_approver_never_open_an_empty_demo_a15(seeded):
    """Issue #8: the demo has an overdue and a soon-due case, so 电子监察 and the approver's
    待决定/待审查 tabs show rows on the day the demo is loaded."""
    supervisor = User.objects.get(username="supervisor")
    approver = User.objects.get(username="approver_scjg")

    overview = supervision_overview(user=supervisor)
    assert [a.item.name for a in overview["overdue"]] == ["药品零售企业经营许可"]
    # The other apps' demos (tolerance, pledges) add soon-due cases of their own.
    due_soon = {a.item.name: a for a in overview["due_soon"]}
    assert "计量标准器具核准" in due_soon
    overdue = overview["overdue"].get()
    assert overdue.warning_level == "red"  # the supervision pass ran
    assert due_soon["计量标准器具核准"].warning_level == "yellow"
    # Its history moved with its clock: accepted before it fell due.
    assert overdue.accepted_at.date() < overdue.due_date < timezone.localdate()
    assert overdue.timeline.order_by("created_at").first().created_at < overdue.accepted_at
    to_decide = console_queue(user=approver, tab=TO_DECIDE)
    assert "药品零售企业经营许可" in [a.item.name for a in to_decide]
    assert "计量标准器具核准" in [a.item.name for a in console_queue(user=approver, tab=TO_REVIEW)]
