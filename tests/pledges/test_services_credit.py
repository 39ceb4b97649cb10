"""Credit records and repair (DOMAIN P4)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.pledges import selectors, services
from apps.pledges.models import CreditRecord, CreditRepairRequest
from apps.pledges.workflow import CreditStatus, RepairStatus
from tests.pledges.factories import credit_record_for

VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def _evidence():
    return SimpleUploadedFile("修复证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def test_staff_enter_a_record_with_its_basis_P4(approver):
    record = services.credit_record_create(
        actor=approver,
        subject_kind="person",
        identifier=VALID_ID,
        subject_name="李某",
        basis="《政务服务管理办法》第二十三条",
        reason="虚假承诺",
    )
    assert record.status == CreditStatus.ACTIVE
    assert VALID_ID not in record.masked_identifier and record.masked_identifier.endswith("002X")
    assert VALID_ID not in record.subject_hash
    assert record.history.count() == 1


def test_a_record_needs_a_valid_identifier_and_a_basis(approver, citizen):
    with pytest.raises(ApplicationError):
        services.credit_record_create(
            actor=approver,
            subject_kind="person",
            identifier="123",
            subject_name="李某",
            basis="依据",
            reason="虚假承诺",
        )
    with pytest.raises(ApplicationError):
        services.credit_record_create(
            actor=approver,
            subject_kind="company",
            identifier=VALID_USCC,
            subject_name="某公司",
            basis=" ",
            reason="虚假承诺",
        )
    with pytest.raises(PermissionDeniedError):
        services.credit_record_create(
            actor=citizen,
            subject_kind="person",
            identifier=VALID_ID,
            subject_name="李某",
            basis="依据",
            reason="虚假承诺",
        )
    assert not CreditRecord.objects.exists()


def test_repair_without_evidence_is_refused_P4(citizen):
    record = credit_record_for(citizen)
    with pytest.raises(ApplicationError) as exc:
        services.credit_repair_request(
            actor=citizen, record_id=record.pk, reasons="已整改完毕", evidence=None
        )
    assert exc.value.code == "evidence_required"
    assert not CreditRepairRequest.objects.exists()


def test_someone_elses_record_cannot_be_repaired(citizen, other_citizen):
    record = credit_record_for(citizen)
    with pytest.raises(ApplicationError) as exc:
        services.credit_repair_request(
            actor=other_citizen, record_id=record.pk, reasons="x", evidence=_evidence()
        )
    assert exc.value.status_code == 404


def test_approved_repair_lifts_the_restriction_at_once_P4(citizen, supervisor, guide):
    record = credit_record_for(citizen)
    assert not selectors.pledge_route_for(guide=guide, user=citizen).offered
    request = services.credit_repair_request(
        actor=citizen, record_id=record.pk, reasons="已整改完毕并公开承诺", evidence=_evidence()
    )
    with pytest.raises(ApplicationError):
        services.credit_repair_request(
            actor=citizen, record_id=record.pk, reasons="再次申请", evidence=_evidence()
        )
    services.credit_repair_decide(actor=supervisor, request_id=request.pk, approve=True)
    record.refresh_from_db()
    assert record.status == CreditStatus.REPAIRED and record.repaired_at
    assert selectors.pledge_route_for(guide=guide, user=citizen).offered


def test_refused_repair_needs_reasons_and_keeps_the_restriction_P4(
    citizen, supervisor, approver, guide
):
    record = credit_record_for(citizen)
    request = services.credit_repair_request(
        actor=citizen, record_id=record.pk, reasons="已整改", evidence=_evidence()
    )
    with pytest.raises(PermissionDeniedError):
        services.credit_repair_decide(actor=approver, request_id=request.pk, approve=True)
    with pytest.raises(ApplicationError):
        services.credit_repair_decide(actor=supervisor, request_id=request.pk, approve=False)
    services.credit_repair_decide(
        actor=supervisor, request_id=request.pk, approve=False, note="整改证明不充分"
    )
    assert CreditRepairRequest.objects.get().status == RepairStatus.REFUSED
    assert not selectors.pledge_route_for(guide=guide, user=citizen).offered


def test_records_past_their_end_date_expire(citizen):
    record = credit_record_for(citizen, days_ago=400)
    assert services.credit_records_expire() == 1
    assert services.credit_records_expire() == 0
    record.refresh_from_db()
    assert record.status == CreditStatus.EXPIRED
