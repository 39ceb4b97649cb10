"""Reminders before each supplement deadline and revocation after a missed one (T2, T3)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from apps.applications import services as app_services
from apps.applications.models import Application, TimelineEvent
from apps.applications.workflow import State
from apps.documents.models import DocumentKind
from apps.notifications.models import Notification
from apps.tolerance import services
from apps.tolerance.models import ReminderMark
from apps.tolerance.selectors import RESULT_LAPSED, result_withheld_reason
from apps.tolerance.workflow import SupplyState
from apps.workdays.calendar import SHANGHAI, add_working_days
from tests.applications.factories import guide_for
from tests.notifications.callbacks import queued_work
from tests.support.races import race
from tests.tolerance.helpers import accept, incomplete_application, submit, supply


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def reminders(citizen):
    return Notification.objects.filter(recipient=citizen, title="容缺材料补齐提醒", channel="inbox")


def test_t2_reminded_three_and_one_working_days_before_once_each(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    three_before = add_working_days(due, -3)
    for _ in range(3):
        services.sweep_tolerated_materials(today=three_before)
    assert reminders(citizen).count() == 1
    sms = Notification.objects.filter(recipient=citizen, title="容缺材料补齐提醒", channel="sms")
    assert sms.count() == 1
    services.sweep_tolerated_materials(today=add_working_days(due, -2))
    assert reminders(citizen).count() == 1
    for _ in range(2):
        services.sweep_tolerated_materials(today=add_working_days(due, -1))
    assert reminders(citizen).count() == 2
    assert set(ReminderMark.objects.values_list("days_before", flat=True)) == {3, 1}


def test_t2_a_late_first_run_sends_one_reminder_not_two(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    services.sweep_tolerated_materials(today=add_working_days(due, -1))
    assert reminders(citizen).count() == 1
    assert ReminderMark.objects.count() == 2


def test_t2_a_supplied_material_is_not_reminded(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    submit(app, citizen)
    services.sweep_tolerated_materials(today=add_working_days(supply(app).due_date, -1))
    assert reminders(citizen).count() == 0


def test_t3_deadline_day_still_counts_then_acceptance_is_revoked_once(
    submitted, citizen, window_staff
):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    report = services.sweep_tolerated_materials(today=due)
    assert report.revoked == 0
    assert Application.objects.get(pk=app.pk).state == State.TOLERANT_ACCEPTED
    day_after = due + datetime.timedelta(days=1)
    with time_machine.travel(at(day_after), tick=False):
        reports = [services.sweep_tolerated_materials(today=day_after) for _ in range(3)]
    assert [r.revoked for r in reports] == [1, 0, 0]
    app.refresh_from_db()
    assert app.state == State.REVOKED and app.outcome == State.REVOKED
    notice = app.documents.get(kind=DocumentKind.REVOCATION_NOTICE).document
    assert "场所平面图逾期未补齐" in notice.body
    assert "行政复议" in notice.body and "行政诉讼" in notice.body  # A9 remedies
    assert supply(app).state == SupplyState.LAPSED
    assert Notification.objects.filter(recipient=citizen, title="您的申请已撤销受理").count() == 2
    assert Notification.objects.filter(recipient=window_staff, title="容缺受理已撤销").count() == 1
    assert app.documents.filter(kind=DocumentKind.REVOCATION_NOTICE).count() == 1


def test_t3_rejected_supplement_past_the_deadline_revokes_with_the_reason(
    submitted, citizen, window_staff
):
    app = accept(submitted, citizen, window_staff)
    due = supply(app).due_date
    supplement = submit(app, citizen)
    services.supplement_reject(supplement_id=supplement.pk, actor=window_staff, reason="未盖章")
    services.sweep_tolerated_materials(today=due + datetime.timedelta(days=1))
    app.refresh_from_db()
    assert app.state == State.REVOKED
    body = app.documents.get(kind=DocumentKind.REVOCATION_NOTICE).document.body
    assert "仍不符合要求（未盖章）" in body


def test_t3_supplement_waiting_for_the_window_is_not_revoked(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    submit(app, citizen)
    services.sweep_tolerated_materials(today=supply(app).due_date + datetime.timedelta(days=5))
    assert Application.objects.get(pk=app.pk).state == State.TOLERANT_ACCEPTED


def test_t3_supplement_after_revocation_is_refused(submitted, citizen, window_staff):
    app = accept(submitted, citizen, window_staff)
    services.sweep_tolerated_materials(today=supply(app).due_date + datetime.timedelta(days=1))
    with pytest.raises(Exception) as refused:
        submit(app, citizen)
    assert refused.value.code in {"case_revoked", "supplement_late"}


def test_t3_decided_case_keeps_its_result_withheld_after_a_lapse(
    submitted, citizen, window_staff, approver, django_capture_on_commit_callbacks
):
    """T3 after the decision: the case says 结果不予发放 (not 准予许可/办结), with its timeline
    row and the applicant told after commit; a second sweep changes nothing."""
    app = accept(submitted, citizen, window_staff)
    app_services.application_start_review(application_id=app.pk, actor=window_staff)
    app_services.application_approve(application_id=app.pk, actor=approver)
    lapsed_on = supply(app).due_date + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.sweep_tolerated_materials(today=lapsed_on)
    assert report.withheld == 1 and report.revoked == 0
    app.refresh_from_db()
    assert (app.state, app.outcome) == (State.RESULT_WITHHELD, State.RESULT_WITHHELD)
    assert result_withheld_reason(app) == RESULT_LAPSED
    row = TimelineEvent.objects.filter(application=app).latest("pk")
    assert (row.from_state, row.to_state) == (State.APPROVED, State.RESULT_WITHHELD)
    assert row.actor is None and "逾期未补齐" in row.reason
    assert queued_work(callbacks), "the SMS to the applicant goes out after commit"
    told = Notification.objects.filter(recipient=citizen, title="容缺材料逾期未补齐")
    assert {n.channel for n in told} == {"inbox", "sms"}
    assert services.sweep_tolerated_materials(today=lapsed_on).withheld == 0


def test_t3_an_archived_decision_lapsing_keeps_the_archive_and_says_withheld(
    submitted, citizen, window_staff, approver, client
):
    app = accept(submitted, citizen, window_staff)
    app_services.application_start_review(application_id=app.pk, actor=window_staff)
    app_services.application_approve(application_id=app.pk, actor=approver)
    app_services.application_archive(application_id=app.pk, actor=window_staff)
    report = services.sweep_tolerated_materials(
        today=supply(app).due_date + datetime.timedelta(days=1)
    )
    assert report.withheld == 1
    app.refresh_from_db()
    assert (app.state, app.outcome) == (State.ARCHIVED, State.RESULT_WITHHELD)
    client.force_login(citizen)
    html = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "app-state-result_withheld" in html and "结果不予发放" in html


def test_t3_a_withheld_result_is_shown_to_the_applicant(
    submitted, citizen, window_staff, approver, client
):
    app = accept(submitted, citizen, window_staff)
    app_services.application_start_review(application_id=app.pk, actor=window_staff)
    app_services.application_approve(application_id=app.pk, actor=approver)
    services.sweep_tolerated_materials(today=supply(app).due_date + datetime.timedelta(days=1))
    client.force_login(citizen)
    listing = client.get(reverse("applications:list")).content.decode()
    assert "app-state-result_withheld" in listing and "结果不予发放" in listing
    html = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert html.count("app-state-result_withheld") == 2  # the status and the outcome
    assert "逾期未补齐" in html


def test_t2_deadline_across_national_day_2025(guide, citizen, window_staff):
    """Accepted Tue 2025-09-30 with 3 working days: 1–8 October are holidays, Saturday
    11 October a make-up working day → 9, 10, 11 October: due 2025-10-11."""
    with time_machine.travel(at(datetime.date(2025, 9, 30), 10), tick=False):
        app = accept(incomplete_application(guide, citizen), citizen, window_staff)
    assert supply(app).due_date == datetime.date(2025, 10, 11)
    services.sweep_tolerated_materials(today=datetime.date(2025, 10, 11))
    assert Application.objects.get(pk=app.pk).state == State.TOLERANT_ACCEPTED
    services.sweep_tolerated_materials(today=datetime.date(2025, 10, 12))
    assert Application.objects.get(pk=app.pk).state == State.REVOKED


@pytest.mark.django_db(transaction=True)
def test_t3_revocation_once_under_concurrent_sweeps(department, citizen, window_staff):
    app = accept(incomplete_application(guide_for(department), citizen), citizen, window_staff)
    day_after = supply(app).due_date + datetime.timedelta(days=1)
    results = race(*[lambda: services.sweep_tolerated_materials(today=day_after) for _ in range(4)])
    assert all(not isinstance(r, BaseException) for r in results), results
    assert sum(r.revoked for r in results) == 1
    app.refresh_from_db()
    assert app.state == State.REVOKED
    assert app.documents.filter(kind=DocumentKind.REVOCATION_NOTICE).count() == 1
