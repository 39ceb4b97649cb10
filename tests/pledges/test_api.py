"""The pledge API: one POST per action, the web's permission rules, structured errors."""

from __future__ import annotations

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from apps.pledges.models import Pledge, VerificationTask
from tests.pledges.factories import (
    approved_pledge,
    credit_record_for,
    digest_of,
    submitted_pledge,
)


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_route_is_public_and_names_the_reason_P4(guide, citizen):
    data = _api().get(reverse("api-pledge-route"), {"item": guide.item.code}).json()
    assert data["offered"] and data["needs_login"]
    credit_record_for(citizen)
    data = _api(citizen).get(reverse("api-pledge-route"), {"item": guide.item.code}).json()
    assert not data["offered"] and "失信记录" in data["reason"]


def test_sign_allowed_and_refused(guide, citizen, other_citizen):
    body = {
        "item": guide.item.code,
        "signed_name": citizen.full_name,
        "text_sha256": digest_of(guide),
    }
    response = _api(citizen).post(reverse("api-pledge-sign"), body, format="json")
    assert response.status_code == 201
    assert response.json()["signed_name"] == citizen.full_name
    body["text_sha256"] = "0" * 64
    refused = _api(other_citizen).post(
        reverse("api-pledge-sign"), {**body, "signed_name": other_citizen.full_name}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "承诺书内容已更新，请重新阅读后再签署。"
    assert Pledge.objects.count() == 1


def test_approve_allowed_for_the_approver_denied_for_a_citizen_P2(guide, citizen, approver):
    pledge = submitted_pledge(guide, citizen)
    url = reverse("api-pledge-approve", args=[pledge.application_id])
    assert _api(citizen).post(url, {}, format="json").status_code == 403
    response = _api(approver).post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "approved"


def test_check_and_revoke_over_the_api_P3(guide, citizen, approver, other_approver):
    task = approved_pledge(guide, citizen, approver).verification
    url = reverse("api-pledge-check", args=[task.pk])
    body = {
        "compliant": False,
        "evidence": "不符",
        "place": "现场",
        "inspected_on": datetime.date.today().isoformat(),
        "rectify_items": ["配置冷藏设施"],
    }
    assert _api(other_approver).post(url, body, format="json").status_code == 403
    response = _api(approver).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rectifying"
    revoke = _api(approver).post(
        reverse("api-pledge-revoke", args=[task.pk]), {"reasons": "承诺不实"}, format="json"
    )
    assert revoke.json()["state"] == "revoked"
    assert VerificationTask.objects.get().false_pledge


def test_bad_input_changes_nothing_and_is_never_a_500(guide, citizen, approver):
    task = approved_pledge(guide, citizen, approver).verification
    url = reverse("api-pledge-check", args=[task.pk])
    response = _api(approver).post(url, {"compliant": "maybe", "place": "\x00"}, format="json")
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == "pending" and not task.checks.exists()


def test_figures_for_supervisors_only(guide, citizen, approver, supervisor):
    approved_pledge(guide, citizen, approver)
    assert _api(citizen).get(reverse("api-pledge-figures")).status_code == 403
    rows = _api(supervisor).get(reverse("api-pledge-figures")).json()["rows"]
    assert rows[0]["approvals"] == 1 and rows[0]["coverage"] == 0.0


def test_verification_list_is_scoped_to_the_department(
    guide, citizen, approver, other_approver, django_assert_max_num_queries
):
    for _ in range(3):
        approved_pledge(guide, citizen, approver)
    with django_assert_max_num_queries(8):
        mine = _api(approver).get(reverse("api-pledge-verifications")).json()
    assert mine["count"] == 3
    assert _api(other_approver).get(reverse("api-pledge-verifications")).json()["count"] == 0
