"""The tolerance API: one POST per action, the web's permission rules, structured errors."""

from __future__ import annotations

from rest_framework.test import APIClient

from apps.applications.workflow import State
from apps.tolerance.models import Pledge, Supplement
from apps.tolerance.workflow import SupplyState
from tests.applications.factories import main_material, png_upload, tolerable_material
from tests.tolerance.helpers import accept, sign, submit, supply

API = "/api/v1/tolerance"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_t1_pledge_offer_and_sign_over_the_api(submitted, citizen, other_citizen):
    c = client_for(citizen)
    offer = c.get(f"{API}/applications/{submitted.pk}/pledge").json()
    assert "场所平面图" in offer["text"]
    assert (
        client_for(other_citizen).get(f"{API}/applications/{submitted.pk}/pledge").status_code
        == 404
    )
    r = c.post(
        f"{API}/applications/{submitted.pk}/pledge/sign",
        {
            "signer_name": submitted.applicant_name,
            "text_sha256": offer["text_sha256"],
            "confirmed": False,
        },
        format="json",
    )
    assert (
        r.status_code == 400 and r.json()["error"]["message"] == "请阅读并勾选同意容缺受理承诺书。"
    )
    assert not Pledge.objects.exists()
    r = c.post(
        f"{API}/applications/{submitted.pk}/pledge/sign",
        {
            "signer_name": submitted.applicant_name,
            "text_sha256": offer["text_sha256"],
            "confirmed": True,
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["channel"] == "online"


def test_a4_4_accept_over_the_api_staff_only(submitted, citizen, window_staff, other_dept_staff):
    ids = {"missing_material_ids": [tolerable_material(submitted.guide).pk]}
    r = client_for(window_staff).post(
        f"{API}/applications/{submitted.pk}/accept", ids, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "pledge_unsigned"
    sign(submitted, citizen)
    r = client_for(other_dept_staff).post(
        f"{API}/applications/{submitted.pk}/accept", ids, format="json"
    )
    assert r.status_code == 403
    r = client_for(citizen).post(f"{API}/applications/{submitted.pk}/accept", ids, format="json")
    assert r.status_code == 403
    r = client_for(window_staff).post(
        f"{API}/applications/{submitted.pk}/accept", ids, format="json"
    )
    assert r.status_code == 200 and r.json()["state"] == State.TOLERANT_ACCEPTED


def test_t1_supplement_actions_over_the_api(submitted, citizen, window_staff, other_dept_staff):
    app = accept(submitted, citizen, window_staff)
    c = client_for(citizen)
    r = c.post(
        f"{API}/applications/{app.pk}/supplements",
        {"guide_material_id": main_material(app.guide).pk, "file": png_upload()},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "material_not_tolerated"
    r = c.post(
        f"{API}/applications/{app.pk}/supplements",
        {"guide_material_id": tolerable_material(app.guide).pk, "file": png_upload()},
        format="multipart",
    )
    assert r.status_code == 201
    supplement_id = r.json()["id"]
    listed = c.get(f"{API}/applications/{app.pk}/supplies").json()
    assert listed["supplies"][0]["supply"]["state"] == SupplyState.SUBMITTED
    assert listed["withheld"] == "结果待容缺材料补齐后发放"
    r = client_for(other_dept_staff).post(
        f"{API}/supplements/{supplement_id}/reject", {"reason": "x"}, format="json"
    )
    assert r.status_code == 403
    r = client_for(citizen).post(f"{API}/supplements/{supplement_id}/accept")
    assert r.status_code == 403
    staff = client_for(window_staff)
    r = staff.post(f"{API}/supplements/{supplement_id}/reject", {"reason": ""}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    r = staff.post(f"{API}/supplements/{supplement_id}/reject", {"reason": "不清晰"}, format="json")
    assert r.status_code == 200 and r.json()["result"] == "rejected"
    second = submit(app, citizen)
    r = staff.post(f"{API}/supplements/{second.pk}/accept")
    assert r.status_code == 200 and supply(app).state == SupplyState.ACCEPTED
    r = staff.post(f"{API}/supplements/{second.pk}/accept")
    assert r.status_code == 400 and r.json()["error"]["code"] == "already_checked"
    assert Supplement.objects.count() == 2
    assert staff.post(f"{API}/supplements/999999/accept").status_code == 404
    r = c.post(
        f"{API}/applications/{app.pk}/supplements",
        {"guide_material_id": "x", "file": "not a file"},
        format="multipart",
    )
    assert r.status_code == 400


def test_queue_scoped_to_department_with_filters(
    submitted, citizen, window_staff, other_dept_staff, django_assert_max_num_queries
):
    accept(submitted, citizen, window_staff)
    staff = client_for(window_staff)
    with django_assert_max_num_queries(12):
        rows = staff.get(f"{API}/queue").json()["results"]
    assert [r["name"] for r in rows] == ["场所平面图"]
    assert staff.get(f"{API}/queue?state=submitted").json()["results"] == []
    assert staff.get(f"{API}/queue?state=bogus").status_code == 400
    assert client_for(other_dept_staff).get(f"{API}/queue").json()["results"] == []
    assert client_for(citizen).get(f"{API}/queue").status_code == 403


def test_figures_for_supervisors_only(submitted, citizen, window_staff, supervisor):
    accept(submitted, citizen, window_staff)
    rows = client_for(supervisor).get(f"{API}/figures").json()
    assert rows[0]["tolerant_acceptances"] == 1
    assert client_for(window_staff).get(f"{API}/figures").status_code == 403
    assert client_for(citizen).get(f"{API}/figures").status_code == 403


def test_schema_lists_the_actions(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/supplements/{id}/accept", "/supplements/{id}/reject", "/queue", "/pledge/sign"):
        assert path in schema
