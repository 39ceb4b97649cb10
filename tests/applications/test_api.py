"""The applications API: applicant endpoints and one POST per staff transition.

Every test asserts the allowed and a denied persona (CONVENTIONS)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.applications.models import Application
from apps.applications.workflow import State
from tests.applications.factories import (
    ApplicationFactory,
    accepted_application,
    main_material,
    pdf_upload,
    upload_corrections,
)

API = "/api/v1/applications"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_applicant_flow_draft_upload_submit_detail(guide, citizen, other_citizen):
    c = client_for(citizen)
    r = c.post(f"{API}/", {"item_id": guide.item_id}, format="json")
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    assert r.json()["state"] == "draft" and r.json()["guide_version"] == 1
    r = c.post(
        f"{API}/{app_id}/materials",
        {"guide_material_id": main_material(guide).pk, "file": pdf_upload()},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    r = c.post(f"{API}/{app_id}/submit", {}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    r = c.post(f"{API}/{app_id}/submit", {}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert r.status_code == 200, "a double submit returns the same application"
    assert Application.objects.count() == 1

    detail = c.get(f"{API}/{app_id}/").json()
    assert [e["kind"] for e in detail["timeline"]] == ["created", "material_added", "transition"]
    assert len(detail["materials"]) == 1
    assert [a["id"] for a in c.get(f"{API}/").json()["results"]] == [app_id]

    other = client_for(other_citizen)
    assert other.get(f"{API}/{app_id}/").status_code == 404
    assert other.post(f"{API}/{app_id}/withdraw", {"reason": "x"}).status_code == 404
    assert other.get(f"{API}/").json()["results"] == []


def test_upload_with_wrong_content_is_400_with_the_error_shape(guide, citizen):
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.factories import PNG_BYTES

    r = client_for(citizen).post(
        f"{API}/{app.pk}/materials",
        {
            "guide_material_id": main_material(guide).pk,
            "file": SimpleUploadedFile("x.pdf", PNG_BYTES),
        },
        format="multipart",
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "file_type_not_allowed"


def test_staff_accept_and_forbidden_edge_is_409(submitted, window_staff):
    c = client_for(window_staff)
    r = c.post(f"{API}/{submitted.pk}/accept", {"note": ""}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "accepted" and r.json()["due_date"]
    r = c.post(f"{API}/{submitted.pk}/accept", {}, format="json")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_transition"
    assert "已受理" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("window_staff", 200), ("other_dept_staff", 403), ("citizen", 403), ("supervisor", 403)],
)
def test_accept_per_role(request, submitted, persona, status):
    r = client_for(request.getfixturevalue(persona)).post(f"{API}/{submitted.pk}/accept")
    assert r.status_code == status


def test_unknown_application_is_404(window_staff):
    assert client_for(window_staff).post(f"{API}/999999/accept").status_code == 404


def test_anonymous_is_refused(submitted):
    assert APIClient().post(f"{API}/{submitted.pk}/accept").status_code == 403


def test_request_correction_and_resubmit(submitted, window_staff, citizen):
    deadline = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()
    body = {
        "items": [{"guide_material_id": main_material(submitted.guide).pk, "reason": "缺少签字"}],
        "deadline": deadline,
    }
    assert (
        client_for(citizen)
        .post(f"{API}/{submitted.pk}/request-correction", body, format="json")
        .status_code
        == 403
    )
    r = client_for(window_staff).post(
        f"{API}/{submitted.pk}/request-correction", body, format="json"
    )
    assert r.status_code == 200 and r.json()["state"] == "correction_requested"
    # A5 in the service, so the API agrees with the web: nothing uploaded, nothing sent.
    r = client_for(citizen).post(f"{API}/{submitted.pk}/resubmit", {}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "correction_incomplete"
    assert "食品经营许可申请书" in r.json()["error"]["message"]
    assert Application.objects.get(pk=submitted.pk).state == State.CORRECTION_REQUESTED
    upload_corrections(submitted, citizen)
    r = client_for(citizen).post(f"{API}/{submitted.pk}/resubmit", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "submitted"


def test_review_decision_endpoints(guide, citizen, window_staff, approver):
    app = accepted_application(guide=guide, applicant=citizen)
    staff, head = client_for(window_staff), client_for(approver)
    assert staff.post(f"{API}/{app.pk}/start-review").json()["state"] == "under_review"
    r = staff.post(
        f"{API}/{app.pk}/suspend", {"kind": "site_inspection", "reason": "勘验"}, format="json"
    )
    assert r.status_code == 200 and r.json()["state"] == "suspended"
    assert staff.post(f"{API}/{app.pk}/resume").json()["state"] == "under_review"
    r = staff.post(
        f"{API}/{app.pk}/request-extension", {"days": 5, "reason": "复杂"}, format="json"
    )
    assert r.status_code == 201
    extension_id = r.json()["id"]
    assert staff.post(f"{API}/extensions/{extension_id}/decide").status_code == 403
    r = head.post(f"{API}/extensions/{extension_id}/decide", {"approved": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert staff.post(f"{API}/{app.pk}/deny", {"reasons": "x"}, format="json").status_code == 403
    r = head.post(f"{API}/{app.pk}/deny", {"reasons": "不符合条件"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "denied"
    assert staff.post(f"{API}/{app.pk}/archive").json()["state"] == "archived"


def test_staff_queue_and_supervision(submitted, window_staff, other_dept_staff, supervisor):
    r = client_for(window_staff).get(f"{API}/queue", {"bucket": "new"})
    assert [a["id"] for a in r.json()["results"]] == [submitted.pk]
    assert client_for(other_dept_staff).get(f"{API}/queue").json()["results"] == []
    assert client_for(window_staff).get(f"{API}/queue", {"bucket": "x"}).status_code == 400
    r = client_for(supervisor).get(f"{API}/supervision")
    assert r.status_code == 200 and set(r.json()) == {"overdue", "due_soon"}


def test_staff_detail_is_scoped(submitted, window_staff, other_dept_staff):
    assert client_for(window_staff).get(f"{API}/{submitted.pk}/").status_code == 200
    assert client_for(other_dept_staff).get(f"{API}/{submitted.pk}/").status_code == 404


def test_window_create(guide, citizen, window_staff):
    body = {
        "applicant_id": citizen.pk,
        "item_id": guide.item_id,
        "idempotency_key": "w-1",
        "channel": "assisted",
    }
    assert client_for(citizen).post(f"{API}/window", body, format="json").status_code == 403
    first = client_for(window_staff).post(f"{API}/window", body, format="json")
    again = client_for(window_staff).post(f"{API}/window", body, format="json")
    assert first.status_code == 201 and first.json()["id"] == again.json()["id"]


def test_openapi_schema_lists_the_actions(db, client):
    r = client.get("/api/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    for action in ("accept", "reject", "request-correction", "approve", "deny", "submit"):
        assert f"/api/v1/applications/{{id}}/{action}" in text


def test_my_applications_list_is_what_the_output_serializer_gives(
    guide, citizen, company_agent, company, other_citizen, django_assert_max_num_queries
):
    """我的申请 is built as plain dicts (issue 16): every row carries exactly what
    ``ApplicationOutputSerializer`` gives (the schema's shape), in every state the list
    shows, and the page costs the same queries for 3 rows as for 20. Someone else's
    application is not listed (A1)."""
    from apps.applications.api.serializers import ApplicationOutputSerializer
    from apps.applications.selectors import application_list_for_applicant

    past = timezone.now() - datetime.timedelta(days=40)
    ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT, submitted_at=None)
    ApplicationFactory(guide=guide, applicant=citizen, calendar_provisional=True)
    accepted_application(guide=guide, applicant=citizen)
    accepted_application(guide=guide, applicant=citizen, accepted_at=past)  # overdue: red
    ApplicationFactory(
        guide=guide,
        applicant=company_agent,
        company=company,
        applicant_type="legal_person",
        state=State.APPROVED,
        outcome=State.APPROVED,
        decided_at=past,
    )
    ApplicationFactory(guide=guide, applicant=other_citizen)

    for user, rows in ((citizen, 4), (company_agent, 1)):
        expected = ApplicationOutputSerializer(
            application_list_for_applicant(user=user), many=True
        ).data
        body = client_for(user).get(f"{API}/").json()
        assert body["count"] == rows
        assert body["results"] == [dict(row) for row in expected]
    assert {r["warning_level"] for r in client_for(citizen).get(f"{API}/").json()["results"]} >= {
        "red",
        "green",
    }

    c = client_for(citizen)
    for _ in range(20):
        ApplicationFactory(guide=guide, applicant=citizen)
    with django_assert_max_num_queries(3):  # the companies, the count, the page
        assert len(c.get(f"{API}/").json()["results"]) == 20
