"""document_issue / document_revoke (DOMAIN A4, A9, A16, A17)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.documents.content import remedies_text
from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.services import document_revoke
from apps.documents.workflow import DocumentStatus
from tests.accounts.factories import make_resident_id


def test_issue_stores_sealed_pdf_privately_with_its_hash(issue, window_staff, private_root):
    document = issue()
    path = Path(document.pdf.path)
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.status == DocumentStatus.VALID
    assert document.issued_by == window_staff
    # Two history rows: the issue (by the staff member) and the PDF stored by the worker.
    issued, rendered = document.history.order_by("history_date", "history_id")
    assert issued.history_user == window_staff and issued.render_status == "pending"
    assert rendered.history_user is None and rendered.render_status == "ready"
    # The stored file name says nothing about the applicant or the number.
    assert "王" not in path.name and document.verification_token not in path.name


def test_verification_token_is_unguessable_and_url_safe(issue):
    tokens = {issue().verification_token for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        assert len(token) >= 22
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_personal_numbers_are_masked_before_storing(issue):
    """DOMAIN A17: an ID number or mobile passed by mistake never appears in clear."""
    id_number = make_resident_id()
    document = issue(
        applicant_name=f"王小明（{id_number}）",
        body=f"联系电话13912345678，身份证号{id_number}。决定予以受理。",
        extra={"fields": [["身份证号", id_number]]},
    )
    stored = IssuedDocument.objects.get(pk=document.pk)
    for text in (stored.applicant_name, stored.body, str(stored.extra)):
        assert id_number not in text
        assert "13912345678" not in text
    assert "********" in stored.applicant_name


@pytest.mark.parametrize("kind", [DocumentKind.REJECTION_NOTICE, DocumentKind.DENIAL_DECISION])
def test_remedies_are_appended_to_refusals_and_denials(issue, kind):
    """DOMAIN A9: reasons plus 行政复议 and 行政诉讼."""
    document = issue(kind=kind, body="经审查，申请材料不符合法定形式，决定不予受理。")
    assert document.body.endswith(remedies_text())
    assert "六十日内" in document.body and "六个月内" in document.body


def test_remedies_name_the_given_reconsideration_organ(issue):
    document = issue(
        kind=DocumentKind.DENIAL_DECISION,
        body="决定不予行政许可。",
        extra={"reconsideration_organ": "榕城市人民政府"},
    )
    assert "向榕城市人民政府申请行政复议" in document.body


def test_remedies_are_not_duplicated_or_added_elsewhere(issue):
    body = "决定不予行政许可。" + remedies_text("榕城市人民政府")
    document = issue(kind=DocumentKind.DENIAL_DECISION, body=body)
    assert document.body == body
    assert "行政复议" not in issue(kind=DocumentKind.ACCEPTANCE_NOTICE).body


def test_unknown_kind_and_empty_body_are_refused(issue):
    with pytest.raises(ApplicationError) as exc:
        issue(kind="birthday_card")
    assert exc.value.code == "invalid_document_kind"
    with pytest.raises(ApplicationError):
        issue(body="   ")
    assert IssuedDocument.objects.count() == 0


def test_blank_title_defaults_to_the_kind_name(issue):
    assert issue(kind=DocumentKind.CORRECTION_NOTICE, title="").title == "补正材料告知书"


def test_revoke_records_who_when_and_why(issue, approver):
    document = issue()
    revoked = document_revoke(document=document, actor=approver, reason="申请人提供虚假材料")
    revoked.refresh_from_db()
    assert revoked.status == DocumentStatus.REVOKED
    assert revoked.revoked_by == approver
    assert revoked.revoked_at is not None
    assert revoked.revoke_reason == "申请人提供虚假材料"
    latest = revoked.history.first()
    assert latest.status == DocumentStatus.REVOKED
    assert latest.history_user == approver


def test_revoke_twice_is_a_forbidden_transition(issue, approver):
    document = issue()
    document_revoke(document=document, actor=approver, reason="错误出具")
    with pytest.raises(InvalidTransitionError):
        document_revoke(document=document, actor=approver, reason="再次撤销")


def test_revoke_requires_a_reason(issue, approver):
    document = issue()
    with pytest.raises(ApplicationError):
        document_revoke(document=document, actor=approver, reason="  ")
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALID
