"""The verification sweep: reminders and escalations once under repeated runs; a lapsed
rectification opens the revocation step for staff, never revokes by itself (P3, P3a)."""

from __future__ import annotations

import datetime

import time_machine

from apps.notifications.models import Notification
from apps.pledges import services
from apps.pledges.models import VerificationMark
from apps.pledges.tasks import sweep_pledge_verifications
from apps.pledges.workflow import VerificationState
from tests.pledges.factories import approved_pledge


def _titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, channel="inbox").values_list("title", flat=True)
    )


def test_inspector_reminded_once_before_the_due_date(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    day = task.due_date - datetime.timedelta(days=1)
    for _ in range(3):
        report = services.supervise_pledge_verifications(today=day)
    assert _titles(approver).count("告知承诺核查即将到期") == 1
    assert report.verify_reminded == 0
    assert VerificationMark.objects.filter(task=task, threshold="verify_soon").count() == 1


def test_overdue_verification_escalates_to_supervisors_once(guide, citizen, approver, supervisor):
    task = approved_pledge(guide, citizen, approver).verification
    late = task.due_date + datetime.timedelta(days=1)
    first = services.supervise_pledge_verifications(today=late)
    second = services.supervise_pledge_verifications(today=late)
    assert first.verify_escalated == 1 and second.verify_escalated == 0
    assert _titles(supervisor).count("告知承诺核查已超期") == 1


def test_rectification_reminder_and_lapse_open_revocation_once(
    guide, citizen, approver, supervisor
):
    task = approved_pledge(guide, citizen, approver).verification
    task = services.verification_record(
        task_id=task.pk,
        actor=approver,
        compliant=False,
        evidence="不符",
        place="现场",
        inspected_on=datetime.date.today(),
        rectify_items=["补办设施"],
    )
    deadline = task.rectify_deadline
    for _ in range(2):
        services.supervise_pledge_verifications(today=deadline)
    assert _titles(citizen).count("整改期限即将届满") == 1
    after = deadline + datetime.timedelta(days=1)
    reports = [services.supervise_pledge_verifications(today=after) for _ in range(2)]
    assert [r.rectify_lapsed for r in reports] == [1, 0]
    task.refresh_from_db()
    # The revocation step opens; revoking stays a staff decision with reasons.
    assert task.state == VerificationState.REVOCATION_DUE
    assert _titles(approver).count("整改期满未核查合格") == 1
    assert _titles(supervisor).count("整改期满未核查合格") == 1


def test_the_beat_task_runs_the_sweep(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    with time_machine.travel(task.due_date + datetime.timedelta(days=2), tick=False):
        result = sweep_pledge_verifications.apply().get()
    assert result["verify_escalated"] == 1
