"""The API's one error shape says the specific reason at the top (issue 7)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.applications.workflow import State
from tests.applications.factories import (
    ApplicationFactory,
    guide_for,
    main_material,
    pdf_upload,
)

API = "/api/v1/applications"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_empty_upload_names_the_reason_in_the_top_level_message(department, citizen, other_citizen):
    """Refusal reason up front: "空文件" was hidden under ``fields`` behind a generic message."""
    guide = guide_for(department)
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT)
    body = {"guide_material_id": main_material(guide).pk, "file": SimpleUploadedFile("a.pdf", b"")}

    r = _client(citizen).post(f"{API}/{app.pk}/materials", body, format="multipart")

    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert "空文件" in error["message"]
    assert "提交的数据有误" not in error["message"]
    assert "空文件" in error["fields"]["file"][0], "the field map stays"
    assert app.materials.count() == 0

    denied = _client(other_citizen).post(
        f"{API}/{app.pk}/materials",
        {"guide_material_id": main_material(guide).pk, "file": pdf_upload()},
        format="multipart",
    )
    assert denied.status_code == 404
    assert denied.json()["error"]["message"]


def test_several_reasons_are_all_named_once(department, citizen):
    """Every distinct reason of a refused request is in the message, each once."""
    guide = guide_for(department)
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT)

    r = _client(citizen).post(
        f"{API}/{app.pk}/materials",
        {"guide_material_id": "x", "file": SimpleUploadedFile("a.pdf", b"")},
        format="multipart",
    )

    message = r.json()["error"]["message"]
    assert "空文件" in message and "整数" in message
    assert set(r.json()["error"]["fields"]) == {"guide_material_id", "file"}


def test_unknown_extension_is_404_not_500(approver):
    """A look-up by an id the client sent that finds nothing answers 404 in the one shape."""
    anonymous = APIClient().post(f"{API}/extensions/999999/decide", {}, format="json")
    assert anonymous.status_code == 403

    r = _client(approver).post(f"{API}/extensions/999999/decide", {}, format="json")

    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_an_unknown_queue_bucket_is_told_in_words(window_staff):
    """The message names what is wrong in Chinese, not a bare list of codes."""
    assert APIClient().get(f"{API}/queue", {"bucket": "x"}).status_code == 403

    r = _client(window_staff).get(f"{API}/queue", {"bucket": "x"})

    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("队列参数有误")
