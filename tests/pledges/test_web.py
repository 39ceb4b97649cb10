"""The applicant's pages: the offer on the item and apply pages, the pledge page, the
credit page (DOMAIN C12, P1, P4, P6). Staff screens in the admin."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications.models import Application
from apps.pledges.models import CreditRepairRequest, Pledge
from apps.pledges.workflow import VerificationState
from tests.applications.factories import guide_for
from tests.pledges.factories import (
    CERTIFICATE,
    LIABILITY_TEXT,
    PLEDGE_TEXT,
    approved_pledge,
    credit_record_for,
    digest_of,
    submitted_pledge,
)

RESTRICTED = "你存在未修复的失信记录，暂不能适用告知承诺制"


def test_item_page_offers_the_route_C12(client, guide, citizen, login):
    page = login(citizen).get(reverse("catalogue:item", args=[guide.item.code])).content.decode()
    assert "告知承诺办理" in page
    assert reverse("pledges:start", args=[guide.item.code]) in page


def test_apply_page_tells_a_restricted_applicant_why_P4(
    client, guide, citizen, login, django_assert_max_num_queries
):
    credit_record_for(citizen)
    login(citizen)
    url = reverse("applications:new", args=[guide.item.code])
    page = client.get(url).content.decode()
    assert RESTRICTED in page
    assert reverse("pledges:start", args=[guide.item.code]) not in page


def test_pledge_page_shows_the_full_texts_and_signing_starts_the_draft_P1_P6(
    client, guide, citizen, login
):
    login(citizen)
    url = reverse("pledges:start", args=[guide.item.code])
    page = client.get(url).content.decode()
    assert PLEDGE_TEXT in page and LIABILITY_TEXT in page and CERTIFICATE in page
    response = client.post(
        url,
        {
            "signed_name": citizen.full_name,
            "text_sha256": digest_of(guide),
            "idempotency_key": "web-1",
        },
        REMOTE_ADDR="198.51.100.7",
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:edit", args=[pledge.application_id])
    assert pledge.ip_address == "198.51.100.7"
    # The draft asks for the rest of the materials, never the pledged certificate.
    edit = client.get(response["Location"]).content.decode()
    assert "食品经营许可申请书" in edit
    assert f">{CERTIFICATE}<" not in edit


def test_pledge_page_refuses_a_wrong_name_and_changes_nothing(client, guide, citizen, login):
    login(citizen)
    url = reverse("pledges:start", args=[guide.item.code])
    response = client.post(
        url, {"signed_name": "别人", "text_sha256": digest_of(guide), "idempotency_key": "web-2"}
    )
    assert response.status_code == 400
    assert "请输入与实名认证一致的姓名" in response.content.decode()
    assert not Application.objects.exists()


def test_pledge_page_for_a_restricted_applicant_shows_the_reason_P4(client, guide, citizen, login):
    credit_record_for(citizen)
    login(citizen)
    page = client.get(reverse("pledges:start", args=[guide.item.code])).content.decode()
    assert RESTRICTED in page


def test_case_page_shows_the_pledge_and_its_verification(client, guide, citizen, approver, login):
    pledge = approved_pledge(guide, citizen, approver)
    page = login(citizen).get(reverse("applications:detail", args=[pledge.application_id]))
    text = page.content.decode()
    assert pledge.document.number in text
    assert str(VerificationState.PENDING.label) in text


def test_credit_page_repair_request_needs_evidence_P4(client, citizen, login):
    record = credit_record_for(citizen)
    login(citizen)
    url = reverse("pledges:credit")
    assert "曾作出虚假承诺" in client.get(url).content.decode()
    refused = client.post(url, {"record_id": record.pk, "reasons": "已整改"})
    assert refused.status_code == 400
    assert not CreditRepairRequest.objects.exists()
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    ok = client.post(url, {"record_id": record.pk, "reasons": "已整改", "evidence": evidence})
    assert ok.status_code == 302
    assert CreditRepairRequest.objects.get().record == record


def test_staff_decide_directly_in_the_admin_P2(client, guide, citizen, approver, login):
    pledge = submitted_pledge(guide, citizen)
    login(approver)
    queue = client.get(reverse("admin:pledges_pledge_changelist")).content.decode()
    assert pledge.application.number in queue
    url = reverse("admin:pledges_pledge_decide", args=[pledge.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "approve"})
    assert Application.objects.get(pk=pledge.application_id).state == "approved"


def test_staff_record_a_check_and_revoke_in_the_admin_P3(client, guide, citizen, approver, login):
    task = approved_pledge(guide, citizen, approver).verification
    login(approver)
    change = client.get(reverse("admin:pledges_verificationtask_change", args=[task.pk]))
    assert "记录核查结论" in change.content.decode()
    check_url = reverse("admin:pledges_verificationtask_check", args=[task.pk])
    client.post(
        check_url,
        {
            "compliant": "0",
            "evidence": "无冷藏设施",
            "place": "现场",
            "inspected_on": datetime.date.today().isoformat(),
            "rectify_items": "配置冷藏设施\n建立台账",
            "rectify_days": "10",
        },
    )
    task.refresh_from_db()
    assert task.state == VerificationState.RECTIFYING
    assert task.rectifications.get().items == ["配置冷藏设施", "建立台账"]
    revoke_url = reverse("admin:pledges_verificationtask_revoke", args=[task.pk])
    client.post(revoke_url, {"reasons": "承诺不实", "false_pledge": "on"})
    task.refresh_from_db()
    assert task.state == VerificationState.REVOKED


def test_other_department_cannot_open_the_task(
    client, guide, citizen, approver, other_approver, login
):
    task = approved_pledge(guide, citizen, approver).verification
    login(other_approver)
    response = client.get(reverse("admin:pledges_verificationtask_check", args=[task.pk]))
    assert response.status_code == 404


def test_figures_page_and_json(client, guide, citizen, approver, supervisor, login):
    approved_pledge(guide, citizen, approver)
    login(supervisor)
    page = client.get(reverse("admin:pledges_verificationtask_figures")).content.decode()
    assert guide.item.implementing_department.name in page


def test_eligibility_adds_a_constant_number_of_queries_to_the_apply_page(
    client, department, guide, citizen, login
):
    """The offer is one range over active credit records, whatever their number."""
    login(citizen)
    plain = guide_for(department)

    def count(g) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("applications:new", args=[g.item.code])).status_code == 200
        return len(ctx.captured_queries)

    without_route = count(plain)
    with_route = count(guide)
    for n in range(30):
        other = credit_record_for(citizen)
        other.subject_hash = f"someone-else-{n}"
        other.save()
    assert count(guide) == with_route
    assert with_route - without_route <= 2


def test_evidence_is_private_and_served_to_staff_only(
    client, guide, citizen, approver, supervisor, login
):
    """A17: inspection and repair evidence lives in the private storage; staff download it
    through checked admin views, the change pages render with a link."""
    task = approved_pledge(guide, citizen, approver).verification
    record = credit_record_for(citizen)
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 repair", content_type="application/pdf")
    login(citizen).post(
        reverse("pledges:credit"),
        {"record_id": record.pk, "reasons": "已整改", "evidence": evidence},
    )
    repair = CreditRepairRequest.objects.get()
    assert not repair.evidence.storage.base_url
    login(supervisor)
    change = client.get(reverse("admin:pledges_creditrepairrequest_change", args=[repair.pk]))
    assert change.status_code == 200
    download = client.get(reverse("admin:pledges_creditrepairrequest_evidence", args=[repair.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 repair"

    login(approver)
    photo = SimpleUploadedFile("现场.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    client.post(
        reverse("admin:pledges_verificationtask_check", args=[task.pk]),
        {
            "compliant": "1",
            "evidence": "一致",
            "place": "现场",
            "inspected_on": datetime.date.today().isoformat(),
            "evidence_file": photo,
        },
    )
    check = task.checks.get()
    page = client.get(reverse("admin:pledges_verificationtask_change", args=[task.pk]))
    assert page.status_code == 200
    url = reverse("admin:pledges_verificationtask_evidence", args=[check.pk])
    assert url in page.content.decode()
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 photo"
    login(citizen)
    assert client.get(url).status_code == 302  # to the admin login
