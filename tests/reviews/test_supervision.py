"""Reminders before a call-back or rectification is late, escalation when it is; each once
per case and threshold under repeated runs (DOMAIN R3, R7)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.notifications.models import Notification
from apps.reviews import services
from apps.reviews.models import AlertLevel, CaseEvent, CaseMark
from apps.reviews.workflow import Outcome
from tests.accounts.factories import UserFactory
from tests.reviews.factories import review

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def friday_case(department, citizen):
    with time_machine.travel(datetime(2025, 3, 14, 19, 30, tzinfo=SH), tick=False):
        return review(department, citizen, "very_dissatisfied").case


def _count(recipient, title: str) -> int:
    return Notification.objects.filter(recipient=recipient, title=title).count()


def test_nothing_before_the_reminder_day(friday_case, window_staff):
    report = services.supervise_review_cases(today=date(2025, 3, 15))
    assert report.as_dict() == {"reminded": 0, "escalated": 0}


def test_reminded_on_the_due_day_once(friday_case, window_staff):
    for _run in range(3):
        services.supervise_review_cases(today=date(2025, 3, 17))
    friday_case.refresh_from_db()
    assert friday_case.alert_level == AlertLevel.REMINDED
    assert _count(window_staff, "差评整改即将到期") == 1
    assert friday_case.events.filter(kind=CaseEvent.Kind.REMINDER).count() == 1


def test_escalated_to_supervisors_once_when_late(friday_case, window_staff, supervisor, approver):
    services.supervise_review_cases(today=date(2025, 3, 17))
    for _run in range(3):
        report = services.supervise_review_cases(today=date(2025, 3, 18))
    assert report.escalated == 0  # the last of three runs found nothing new
    friday_case.refresh_from_db()
    assert friday_case.alert_level == AlertLevel.LATE
    assert _count(supervisor, "差评整改已逾期，请督办") == 1
    assert _count(approver, "差评整改已逾期，请督办") == 1
    assert CaseMark.objects.filter(case=friday_case).count() == 2


def test_a_new_deadline_starts_over(friday_case, window_staff, supervisor):
    """After the call-back the rectification deadline gets its own reminder and escalation."""
    services.supervise_review_cases(today=date(2025, 3, 18))  # call-back late
    with time_machine.travel(datetime(2025, 3, 18, 10, 0, tzinfo=SH), tick=False):
        services.case_record_callback(
            case_id=friday_case.pk,
            actor=window_staff,
            outcome=Outcome.FIX_BY_DEADLINE,
            note="需协调厂商。",
        )
    friday_case.refresh_from_db()
    assert friday_case.alert_level == AlertLevel.NONE
    assert friday_case.due_on == date(2025, 3, 25)
    services.supervise_review_cases(today=date(2025, 3, 24))
    services.supervise_review_cases(today=date(2025, 3, 26))
    services.supervise_review_cases(today=date(2025, 3, 26))
    assert _count(supervisor, "差评整改已逾期，请督办") == 2
    # call-back late (its reminder skipped: late first), rectification reminder, late.
    assert CaseMark.objects.filter(case=friday_case).count() == 3


def test_handled_cases_leave_the_sweep(friday_case, window_staff):
    with time_machine.travel(datetime(2025, 3, 17, 9, 0, tzinfo=SH), tick=False):
        services.case_record_callback(
            case_id=friday_case.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="已处理。"
        )
    report = services.supervise_review_cases(today=date(2025, 3, 30))
    assert report.as_dict() == {"reminded": 0, "escalated": 0}


def test_sweep_queries_do_not_grow_with_cases(department, supervisor):
    """Batched: apart from the notifications themselves (one per recipient), the number of
    queries follows the chunks, not the cases."""

    def run_with(n: int) -> int:
        with time_machine.travel(datetime(2025, 3, 14, 19, 30, tzinfo=SH), tick=False):
            for _i in range(n):
                review(department, UserFactory(), "dissatisfied")
        with CaptureQueriesContext(connection) as ctx:
            services.supervise_review_cases(today=date(2025, 3, 18), batch_size=500)
        return len(
            [
                q
                for q in ctx.captured_queries
                if "notifications_notification" not in q["sql"]
                and not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            ]
        )

    assert run_with(2) == run_with(8)
