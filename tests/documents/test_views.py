"""Public verification page and the PDF response helper (DOMAIN A16, A17)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from apps.common.errors import ApplicationError
from apps.documents.models import DocumentKind
from apps.documents.services import document_revoke
from apps.documents.views import document_file_response

SECRET_SENTENCE = "经营场所位于某某路十八号三层"


def _verify(client, document):
    return client.get(reverse("documents:verify", kwargs={"token": document.verification_token}))


def test_verify_url_is_under_verify():
    assert reverse("documents:verify", kwargs={"token": "abc"}) == "/verify/abc/"


def test_genuine_document_is_shown_as_valid_without_body(client, issue):
    document = issue(body=f"{SECRET_SENTENCE}，决定予以受理。")
    response = _verify(client, document)
    assert response.status_code == 200
    html = response.content.decode()
    assert "真实有效" in html
    assert document.number in html
    assert "榕城市市场监督管理局" in html
    assert "受理通知书" in html
    assert "王**" in html and "王小明" not in html
    assert "SQ20261122000123" in html
    assert SECRET_SENTENCE not in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_revoked_document_says_when_and_why(client, issue, approver):
    document = issue(kind=DocumentKind.APPROVAL_DECISION)
    document_revoke(document=document, actor=approver, reason="被许可人以欺骗手段取得许可")
    html = _verify(client, document).content.decode()
    assert "已撤销" in html and "真实有效" not in html
    assert "被许可人以欺骗手段取得许可" in html
    assert "年" in html and "撤销" in html


@pytest.mark.django_db
def test_unknown_token_is_404_with_chinese_message(client):
    response = client.get("/verify/this-token-does-not-exist-0000/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_file_response_is_inline_pdf_with_chinese_filename(issue, rf):
    document = issue()
    response = document_file_response(rf.get("/"), document)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert quote("受理通知书") in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_file_response_refuses_a_changed_file(issue, rf):
    document = issue()
    with open(document.pdf.path, "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ApplicationError) as exc:
        document_file_response(rf.get("/"), document)
    assert exc.value.code == "document_file_tampered"


def test_file_name_has_no_path_separators(issue, rf):
    document = issue(kind="licence", title="电子证照/结果文书")
    disposition = document_file_response(rf.get("/"), document)["Content-Disposition"]
    assert "%2F" not in disposition and "/" not in disposition
    assert quote("电子证照_结果文书") in disposition


def test_default_title_is_the_kind_name(issue):
    assert issue(kind="licence", title="").title == "电子证照"
