"""Offering the route and signing the pledge (DOMAIN C12, P1, P3a, P4, P5, P6)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from apps.applications import services as app_services
from apps.applications.completeness import application_completeness
from apps.applications.models import Application, ApplicationDocument
from apps.catalogue.models import RiskArea
from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from apps.pledges import selectors, services
from apps.pledges.models import ImmutableRowError, Pledge, PledgeEvent, PledgeKind
from apps.pledges.workflow import CreditStatus
from tests.applications.factories import guide_for
from tests.pledges.factories import (
    CERTIFICATE,
    LIABILITY_TEXT,
    PLEDGE_TEXT,
    credit_record_for,
    digest_of,
    sign,
    submitted_pledge,
)


def test_route_offered_when_the_guide_enables_it_C12(guide, citizen):
    offer = selectors.pledge_route_for(guide=guide, user=citizen)
    assert offer.offered and offer.reason == ""


def test_route_not_offered_off_the_list_C12(department, citizen):
    guide = guide_for(department)
    offer = selectors.pledge_route_for(guide=guide, user=citizen)
    assert not offer.offered
    assert "未纳入告知承诺制" in offer.reason


def test_route_never_on_a_high_risk_item_P5(guide, citizen):
    guide.item.risk_area = RiskArea.PUBLIC_SAFETY
    guide.item.save()
    offer = selectors.pledge_route_for(guide=guide, user=citizen)
    assert not offer.offered
    assert "公共安全" in offer.reason
    with pytest.raises(ApplicationError) as exc:
        sign(guide, citizen)
    assert exc.value.code == "pledge_not_available"
    assert not Application.objects.filter(applicant=citizen).exists()


def test_restricted_applicant_is_told_why_and_cannot_sign_P4(guide, citizen):
    credit_record_for(citizen)
    offer = selectors.pledge_route_for(guide=guide, user=citizen)
    assert not offer.offered
    assert offer.reason == "你存在未修复的失信记录，暂不能适用告知承诺制，请按一般程序办理。"
    with pytest.raises(ApplicationError):
        sign(guide, citizen)
    # Nothing changed: no draft, no pledge.
    assert not Application.objects.filter(applicant=citizen).exists()
    assert not Pledge.objects.exists()


def test_repaired_or_expired_record_no_longer_restricts_P4(guide, citizen):
    record = credit_record_for(citizen)
    record.status = CreditStatus.REPAIRED
    record.repaired_at = datetime.datetime.now(datetime.UTC)
    record.save()
    old = credit_record_for(citizen, days_ago=400)  # expired by date, not yet swept
    assert old.expires_on < datetime.date.today()
    assert selectors.pledge_route_for(guide=guide, user=citizen).offered
    assert sign(guide, citizen).pk


def test_company_restricted_but_agent_person_is_not_P4(guide, company_agent, company):
    credit_record_for(company_agent, company=company)
    offer = selectors.pledge_route_for(guide=guide, user=company_agent)
    assert not offer.offered
    assert company.name in offer.reason


def test_signing_stores_exact_text_identity_time_ip_and_issues_the_pledge_P1_P3a(guide, citizen):
    pledge = sign(guide, citizen, ip="203.0.113.9")
    assert pledge.pledge_text == PLEDGE_TEXT
    assert pledge.liability_text == LIABILITY_TEXT
    assert pledge.signed_name == citizen.full_name
    assert pledge.signer == citizen
    assert pledge.ip_address == "203.0.113.9"
    assert pledge.signed_at is not None
    assert pledge.kind == PledgeKind.CERTIFICATE
    assert [c["name"] for c in pledge.certificates] == [CERTIFICATE]
    # The signed pledge is a sealed, numbered document of the application (A16).
    link = ApplicationDocument.objects.get(application=pledge.application)
    assert link.kind == DocumentKind.PLEDGE_NOTICE
    assert link.document == pledge.document
    assert "诺字" in pledge.document.number
    assert PLEDGE_TEXT in pledge.document.body and LIABILITY_TEXT in pledge.document.body
    assert PledgeEvent.objects.filter(kind=PledgeEvent.Kind.SIGNED).count() == 1


def test_a_signed_pledge_can_never_be_edited_P3a(guide, citizen):
    pledge = sign(guide, citizen)
    pledge.pledge_text = "改过的承诺"
    with pytest.raises(ImmutableRowError):
        pledge.save()
    with pytest.raises(ImmutableRowError):
        pledge.delete()
    assert Pledge.objects.get(pk=pledge.pk).pledge_text == PLEDGE_TEXT


def test_a_changed_text_is_refused_P1(guide, citizen):
    digest = digest_of(guide)
    guide.pledge_text = PLEDGE_TEXT + "（修订）"
    guide.save()
    with pytest.raises(ApplicationError) as exc:
        services.pledge_start(
            actor=citizen,
            item_id=guide.item_id,
            company_id=None,
            signed_name=citizen.full_name,
            text_sha256=digest,
        )
    assert exc.value.code == "pledge_text_changed"
    assert not Application.objects.filter(applicant=citizen).exists()


def test_a_second_signature_is_refused(guide, citizen):
    pledge = sign(guide, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.pledge_sign(
            application_id=pledge.application_id,
            actor=citizen,
            signed_name=citizen.full_name,
            text_sha256=digest_of(guide),
        )
    assert exc.value.code == "already_signed"
    assert Pledge.objects.count() == 1


def test_a_name_that_is_not_the_signers_is_refused(guide, citizen):
    with pytest.raises(ApplicationError) as exc:
        sign(guide, citizen, name="别人")
    assert exc.value.code == "name_mismatch"
    assert not Pledge.objects.exists()


def test_someone_elses_draft_cannot_be_signed(guide, citizen, other_citizen):
    pledge = sign(guide, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.pledge_sign(
            application_id=pledge.application_id,
            actor=other_citizen,
            signed_name=other_citizen.full_name,
            text_sha256=digest_of(guide),
        )
    assert exc.value.status_code == 404


def test_pledged_certificates_are_never_asked_for_P6(guide, citizen):
    pledge = sign(guide, citizen)
    application = Application.objects.get(pk=pledge.application_id)
    missing = {m.name for m in application_completeness(application).missing_materials}
    assert CERTIFICATE not in missing
    assert "食品经营许可申请书" in missing  # the rest is asked as the guide says


def test_company_licensing_pledge_is_the_licensing_kind_P6(guide, company_agent, company):
    pledge = sign(guide, company_agent, company=company)
    assert pledge.kind == PledgeKind.LICENSING
    assert pledge.subject_kind == "company"
    assert pledge.subject_name == company.name


def test_repeated_post_with_the_same_key_returns_the_same_pledge(guide, citizen):
    kwargs = dict(
        actor=citizen,
        item_id=guide.item_id,
        company_id=None,
        signed_name=citizen.full_name,
        text_sha256=digest_of(guide),
        idempotency_key="k-123",
    )
    first = services.pledge_start(**kwargs)
    again = services.pledge_start(**kwargs)
    assert first.pk == again.pk
    assert Pledge.objects.count() == 1


def test_staff_cannot_ask_for_a_pledged_certificate_in_a_correction_P6(
    guide, citizen, window_staff
):
    pledge = submitted_pledge(guide, citizen)
    certificate = guide.materials.get(name=CERTIFICATE)
    with pytest.raises(ApplicationError) as exc:
        app_services.application_request_correction(
            application_id=pledge.application_id,
            actor=window_staff,
            items=[(certificate.pk, "请提交健康证明")],
            deadline=datetime.date.today() + datetime.timedelta(days=10),
        )
    assert exc.value.code == "material_waived"
    assert Application.objects.get(pk=pledge.application_id).state == "submitted"


def test_a_pledge_signed_on_the_english_page_is_issued_in_chinese_P3a(guide, citizen):
    """Issue #17: the pledge document is a legal text and stays Chinese in the English edition."""
    with translation.override("en"):
        pledge = sign(guide, citizen)

    assert "一、承诺内容" in pledge.document.body
    assert "三、虚假承诺的法律责任" in pledge.document.body
    assert "What is pledged" not in pledge.document.body
