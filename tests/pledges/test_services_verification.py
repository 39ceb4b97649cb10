"""Direct approval (P2), verification afterwards (P3, P3a), rectification, revocation with
remedies (A9), termination of a false pledge while handled, credit records (P6)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.applications.models import Application, ApplicationDocument
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.workflow import DocumentStatus
from apps.pledges import services
from apps.pledges.models import CreditRecord, RectificationOrder, VerificationTask
from apps.pledges.workflow import VerificationState
from tests.applications.factories import ApplicationFactory
from tests.pledges.factories import (
    approved_pledge,
    credit_record_for,
    submitted_pledge,
)

TODAY = datetime.date.today


def _check(task, actor, *, compliant, items=None):
    return services.verification_record(
        task_id=task.pk,
        actor=actor,
        compliant=compliant,
        evidence="现场查看经营场所与承诺一致。" if compliant else "现场无冷藏设施，与承诺不符。",
        place="鼓楼区五四路1号",
        inspected_on=TODAY(),
        rectify_items=items,
    )


def test_pledged_application_is_approved_directly_with_a_verifiable_result_P2_A16(
    guide, citizen, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        pledge = approved_pledge(guide, citizen, approver)
    application = Application.objects.get(pk=pledge.application_id)
    assert application.state == State.APPROVED
    kinds = set(
        ApplicationDocument.objects.filter(application=application).values_list("kind", flat=True)
    )
    assert {DocumentKind.APPROVAL_DECISION, DocumentKind.LICENCE} <= kinds
    task = VerificationTask.objects.get(application=application)
    assert task.due_date > TODAY()
    assert task.pledge == pledge


def test_window_staff_cannot_decide_and_other_departments_are_refused_P2(
    guide, citizen, window_staff, other_approver
):
    pledge = submitted_pledge(guide, citizen)
    for actor in (window_staff, other_approver):
        with pytest.raises(PermissionDeniedError):
            services.pledge_approve(application_id=pledge.application_id, actor=actor)
    assert Application.objects.get(pk=pledge.application_id).state == State.SUBMITTED


def test_first_time_applicant_is_always_checked_P3a(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    assert task.selection == VerificationTask.Selection.FIRST_TIME
    assert task.state == VerificationState.PENDING


def test_good_credit_is_sampled_deterministically_and_recorded_P3a(
    guide, citizen, approver, settings
):
    approved_pledge(guide, citizen, approver)
    settings.PLEDGES_SAMPLE_PERCENT = 0
    task = approved_pledge(guide, citizen, approver).verification
    assert task.selection == VerificationTask.Selection.NOT_SAMPLED
    assert task.state == VerificationState.NOT_SELECTED
    assert task.sample_value == services.sample_value(task.application)
    settings.PLEDGES_SAMPLE_PERCENT = 100
    task = approved_pledge(guide, citizen, approver).verification
    assert task.selection == VerificationTask.Selection.SAMPLED
    assert task.state == VerificationState.PENDING
    assert task.sample_percent == 100


def test_warned_applicant_is_always_checked_P3a(guide, citizen, approver, settings):
    approved_pledge(guide, citizen, approver)
    record = credit_record_for(citizen)
    record.status = "repaired"
    record.repaired_at = datetime.datetime.now(datetime.UTC)
    record.save()
    settings.PLEDGES_SAMPLE_PERCENT = 0
    task = approved_pledge(guide, citizen, approver).verification
    assert task.selection == VerificationTask.Selection.WARNED
    assert task.state == VerificationState.PENDING


def test_compliant_check_closes_the_task_P3(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    task = _check(task, approver, compliant=True)
    assert task.state == VerificationState.COMPLIANT
    assert task.closed_at is not None
    assert task.checks.get().place == "鼓楼区五四路1号"


def test_rectify_then_compliant_P3(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    task = _check(task, approver, compliant=False, items=["配置冷藏设施"])
    assert task.state == VerificationState.RECTIFYING
    order = RectificationOrder.objects.get(task=task)
    assert order.items == ["配置冷藏设施"]
    assert order.document.kind == DocumentKind.RECTIFICATION_ORDER
    assert order.deadline == task.rectify_deadline
    assert ApplicationDocument.objects.filter(
        application=task.application, kind=DocumentKind.RECTIFICATION_ORDER
    ).exists()
    task = _check(task, approver, compliant=True)
    assert task.state == VerificationState.COMPLIANT


def test_an_order_to_rectify_needs_its_items(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    with pytest.raises(ApplicationError):
        _check(task, approver, compliant=False, items=[])
    task.refresh_from_db()
    assert task.state == VerificationState.PENDING
    assert not task.checks.exists()


def test_rectify_then_revoke_shows_revoked_and_records_credit_P3_P3a_A9(
    guide, citizen, approver, client
):
    task = approved_pledge(guide, citizen, approver).verification
    task = _check(task, approver, compliant=False, items=["配置冷藏设施"])
    task = _check(task, approver, compliant=False)
    assert task.state == VerificationState.REVOCATION_DUE
    task = services.verification_revoke(
        task_id=task.pk, actor=approver, reasons="整改期满仍无冷藏设施，承诺不实"
    )
    assert task.state == VerificationState.REVOKED
    licence = IssuedDocument.objects.get(
        reference=task.application.number, kind=DocumentKind.LICENCE
    )
    assert licence.status == DocumentStatus.REVOKED
    page = client.get(reverse("documents:verify", kwargs={"token": licence.verification_token}))
    assert "已撤销" in page.content.decode()
    decision = IssuedDocument.objects.get(
        reference=task.application.number, kind=DocumentKind.DECISION_REVOCATION
    )
    assert "行政复议" in decision.body and "行政诉讼" in decision.body
    record = CreditRecord.objects.get(application=task.application)
    assert record.source == CreditRecord.Source.REVOCATION
    assert record.basis and record.recorded_on == TODAY()
    assert record.repairable_on > record.recorded_on
    assert record.subject_hash == task.pledge.subject_hash


def test_revocation_needs_reasons_and_the_right_state(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    with pytest.raises(ApplicationError):
        services.verification_revoke(task_id=task.pk, actor=approver, reasons=" ")
    task = _check(task, approver, compliant=True)
    with pytest.raises(ApplicationError):
        services.verification_revoke(task_id=task.pk, actor=approver, reasons="承诺不实")
    assert not CreditRecord.objects.exists()


def test_verification_of_an_application_that_is_not_pledged_is_refused(guide):
    application = ApplicationFactory(guide=guide)
    with pytest.raises(ApplicationError) as exc:
        services.verification_for_application(application_id=application.pk)
    assert exc.value.code == "not_pledged"


def test_pledge_found_false_while_handled_terminates_with_credit_record_P6(
    guide, citizen, approver
):
    pledge = submitted_pledge(guide, citizen)
    application = services.pledge_terminate(
        application_id=pledge.application_id, actor=approver, reasons="经核实不具备冷藏条件"
    )
    assert application.state == State.REJECTED
    assert ApplicationDocument.objects.filter(
        application=application, kind=DocumentKind.TERMINATION_NOTICE
    ).exists()
    assert CreditRecord.objects.get(application=application).source == (
        CreditRecord.Source.TERMINATION
    )
    assert not VerificationTask.objects.filter(application=application).exists()


def test_terminating_an_application_that_is_not_pledged_is_refused(guide, approver):
    application = ApplicationFactory(guide=guide)
    with pytest.raises(ApplicationError) as exc:
        services.pledge_terminate(application_id=application.pk, actor=approver, reasons="x")
    assert exc.value.code == "not_pledged"
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_inspector_of_another_department_is_refused(guide, citizen, approver, other_approver):
    task = approved_pledge(guide, citizen, approver).verification
    with pytest.raises(PermissionDeniedError):
        _check(task, other_approver, compliant=True)


def test_citizen_cannot_verify(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    with pytest.raises(PermissionDeniedError):
        _check(task, citizen, compliant=True)
