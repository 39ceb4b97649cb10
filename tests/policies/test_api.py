"""The policies API: public lists, 我的政策, one POST per action; each endpoint with its
allowed and its denied persona; errors always in the one JSON shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.policies.models import Entitlement, PolicyHaltRequest, PolicyMatch
from apps.policies.services import policy_match
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/policies/"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_public_list_and_detail_need_no_login_po1():
    policy = PolicyFactory(criteria=[{"attribute": "scale", "operator": "in", "value": ["small"]}])
    PolicyFactory(state="draft")
    listed = _api().get(BASE)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    detail = _api().get(f"{BASE}{policy.code}/").json()
    assert detail["criteria_text"] == ["企业规模 为以下之一 小型"]
    assert detail["time_limit_text"] == policy.time_limit_text


def test_bad_query_values_are_400_json():
    bogus = _api().get(BASE, {"class": "bogus"})
    assert bogus.status_code == 400 and bogus.json()["error"]["code"] == "invalid"
    nul = _api().get(BASE, {"department": "a\x00b"})
    assert nul.status_code == 400 and nul.json()["error"]["code"] == "bad_request"


def test_mine_for_the_agent_and_empty_for_a_stranger(company_agent, other_citizen, company_profile):
    policy_match(policy_id=PolicyFactory().pk)
    [row] = _api(company_agent).get(f"{BASE}mine").json()
    assert row["entitlement"]["state"] == "notified" and row["claim"] is None
    assert _api(other_citizen).get(f"{BASE}mine").json() == []
    assert _api().get(f"{BASE}mine").status_code == 403


def test_claim_allowed_for_the_agent_denied_for_others(
    company_agent, other_citizen, company_profile, claim_item
):
    policy_match(policy_id=PolicyFactory(fulfilment="application", service_item=claim_item).pk)
    match = PolicyMatch.objects.get()
    denied = _api(other_citizen).post(f"{BASE}matches/{match.pk}/claim")
    assert denied.status_code == 404 and denied.json()["error"]["code"] == "not_found"
    allowed = _api(company_agent).post(f"{BASE}matches/{match.pk}/claim")
    assert allowed.status_code == 201 and allowed.json()["application_state"] == "submitted"
    second = _api(company_agent).post(f"{BASE}matches/{match.pk}/claim")
    assert second.status_code == 400 and second.json()["error"]["code"] == "already_claimed"


@pytest.fixture
def entitlement(company_profile, department):
    policy_match(policy_id=PolicyFactory(department=department).pk)
    return Entitlement.objects.get()


def test_decline_allowed_for_the_beneficiary_only(entitlement, company_agent, other_citizen):
    assert (
        _api(other_citizen).post(f"{BASE}entitlements/{entitlement.pk}/decline").status_code == 404
    )
    response = _api(company_agent).post(
        f"{BASE}entitlements/{entitlement.pk}/decline", {"reason": "不需要"}
    )
    assert response.status_code == 200 and response.json()["state"] == "declined"
    again = _api(company_agent).post(f"{BASE}entitlements/{entitlement.pk}/decline")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_grant_and_pay_allowed_for_the_department_denied_elsewhere(
    entitlement, approver, other_dept_staff, company_agent
):
    url = f"{BASE}entitlements/{entitlement.pk}/"
    assert _api(other_dept_staff).post(url + "grant").status_code == 403
    assert _api(company_agent).post(url + "grant").status_code == 403
    assert _api(approver).post(url + "grant", {"note": "公示无异议"}).json()["state"] == "granted"
    missing = _api(approver).post(url + "pay", {"payment_reference": ""})
    assert missing.status_code == 400
    paid = _api(approver).post(url + "pay", {"payment_reference": "GK-1"}, format="json")
    assert paid.json()["state"] == "paid"


def test_halt_request_and_decision_po5(department, approver, supervisor, window_staff):
    policy = PolicyFactory(department=department)
    body = {
        "action": "suspend",
        "legal_ground": "quota_used",
        "legal_basis": "《办法》第十二条：年度资金额度用完即止",
        "reason": "2026年度专项资金已全部兑现。",
    }
    assert _api(window_staff).post(f"{BASE}{policy.pk}/halt-requests", body).status_code == 403
    created = _api(approver).post(f"{BASE}{policy.pk}/halt-requests", body)
    assert created.status_code == 201
    halt_id = created.json()["id"]
    assert _api(approver).post(f"{BASE}halt-requests/{halt_id}/approve").status_code == 403
    approved = _api(supervisor).post(f"{BASE}halt-requests/{halt_id}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    policy.refresh_from_db()
    assert policy.state == "suspended"
    assert PolicyHaltRequest.objects.count() == 1


def test_halt_with_a_forbidden_reason_is_a_400(department, approver):
    policy = PolicyFactory(department=department)
    body = {
        "action": "stop",
        "legal_ground": "other_statutory",
        "legal_basis": "无",
        "reason": "机构改革",
    }
    response = _api(approver).post(f"{BASE}{policy.pk}/halt-requests", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "forbidden_halt_reason"


def test_publish_allowed_for_the_approver_denied_for_window_staff(
    department, approver, window_staff
):
    policy = PolicyFactory(department=department, state="draft")
    assert _api(window_staff).post(f"{BASE}{policy.pk}/publish").status_code == 403
    assert _api(approver).post(f"{BASE}{policy.pk}/publish").json()["state"] == "published"
    assert _api(approver).post(f"{BASE}{policy.pk}/publish").status_code == 409


def test_criteria_count_for_policy_editors_only(approver, citizen, company_profile):
    url = f"{BASE}criteria/count"
    body = {
        "subject_kind": "company",
        "criteria": [{"attribute": "employees", "operator": "gte", "value": 10}],
    }
    assert _api(citizen).post(url, body, format="json").status_code == 403
    response = _api(approver).post(url, body, format="json")
    assert response.json() == {"count": 1, "criteria_text": ["从业人数 不少于 10人"]}
    bad = {
        "subject_kind": "company",
        "criteria": [
            {"attribute": "employees", "operator": "gte", "value": 10},
            {"attribute": "employees", "operator": "lte", "value": 5},
        ],
    }
    error = _api(approver).post(url, bad, format="json")
    assert error.status_code == 400 and "互相矛盾" in error.json()["error"]["message"]


def test_figures_for_supervisors_only(
    supervisor, citizen, window_staff, company_agent, company_profile
):
    policy_match(policy_id=PolicyFactory().pk)
    assert _api(citizen).get(f"{BASE}figures").status_code == 403
    assert _api(window_staff).get(f"{BASE}figures").status_code == 403
    body = _api(supervisor).get(f"{BASE}figures").json()
    assert body["totals"]["matched"] == 1 and body["figures"][:3] == [
        "matched",
        "pushed",
        "delivered",
    ]
    assert body["departments"][0]["policies"] == 1
