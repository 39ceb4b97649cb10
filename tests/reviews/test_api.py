"""Reviews over the API (DOMAIN R1, R3, R4): every channel submits with its channel; staff
take one POST per step. Each endpoint: the allowed and the denied persona."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.reviews.models import Appeal, RectificationCase, Review
from apps.reviews.workflow import CaseState
from tests.reviews.factories import event_for, review


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_app_submits_a_review(api, department, citizen):
    event = event_for(department, subject=citizen)
    response = _as(api, citizen).post(
        "/api/v1/reviews/",
        {"event": event.pk, "channel": "mobile", "level": "very_satisfied"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "mobile"


def test_someone_elses_event_is_404_with_the_error_shape(api, department, citizen, other_citizen):
    event = event_for(department, subject=citizen)
    response = _as(api, other_citizen).post(
        "/api/v1/reviews/",
        {"event": event.pk, "channel": "mobile", "level": "satisfied"},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_anonymous_callers_are_refused(api, department, citizen):
    event = event_for(department, subject=citizen)
    response = api.post(
        "/api/v1/reviews/", {"event": event.pk, "channel": "mobile", "level": "satisfied"}
    )
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"level": "great"}, "invalid"),
        ({"channel": "window"}, "invalid"),
        ({"level": "dissatisfied"}, "tags_required"),
        ({"reviewed_at": "2001-01-01T00:00:00+08:00"}, "invalid"),
    ],
)
def test_bad_input_changes_nothing(api, department, citizen, payload, code):
    event = event_for(department, subject=citizen)
    body = {"event": event.pk, "channel": "self_service", "level": "satisfied", **payload}
    response = _as(api, citizen).post("/api/v1/reviews/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not Review.objects.exists()


def test_second_review_of_an_event_is_refused(api, department, citizen):
    event = event_for(department, subject=citizen)
    body = {"event": event.pk, "channel": "mobile", "level": "satisfied"}
    assert _as(api, citizen).post("/api/v1/reviews/", body, format="json").status_code == 201
    again = api.post("/api/v1/reviews/", body, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_reviewed"


def test_hotline_operator_records_a_call_back(api, department, hotline_operator, window_staff):
    event = event_for(department, kind="hotline_ticket")
    body = {
        "event": event.pk,
        "channel": "hotline",
        "level": "very_dissatisfied",
        "tags": ["unresolved"],
        "text": "来电人表示问题没有解决",
    }
    assert (
        _as(api, hotline_operator).post("/api/v1/reviews/", body, format="json").status_code == 201
    )
    event2 = event_for(department, kind="hotline_ticket")
    denied = _as(api, window_staff).post(
        "/api/v1/reviews/", {**body, "event": event2.pk}, format="json"
    )
    assert denied.status_code == 404


def test_pending_events_and_my_reviews(api, department, citizen, other_citizen):
    event_for(department, subject=citizen)
    review(department, citizen)
    mine = _as(api, citizen).get("/api/v1/reviews/events/pending/").json()
    assert mine["count"] == 1
    assert _as(api, other_citizen).get("/api/v1/reviews/events/pending/").json()["count"] == 0
    assert _as(api, citizen).get("/api/v1/reviews/mine/").json()["count"] == 1
    assert _as(api, other_citizen).get("/api/v1/reviews/mine/").json()["count"] == 0


def test_tags_list(api, citizen):
    tags = _as(api, citizen).get("/api/v1/reviews/tags/").json()
    assert {"code": "attitude", "label": "服务态度差"} in tags


def test_case_steps_allowed_and_denied(api, department, citizen, window_staff, other_dept_staff):
    case = review(department, citizen, "dissatisfied").case
    url = f"/api/v1/reviews/cases/{case.pk}/callback/"
    body = {"outcome": "fix_by_deadline", "note": "需整改。", "days": 3}
    denied = _as(api, other_dept_staff).post(url, body, format="json")
    assert denied.status_code == 403
    assert _as(api, citizen).post(url, body, format="json").status_code == 403
    ok = _as(api, window_staff).post(url, body, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == CaseState.RECTIFYING
    assert api.post(url, body, format="json").status_code == 409
    done = api.post(
        f"/api/v1/reviews/cases/{case.pk}/rectify/", {"note": "已整改。"}, format="json"
    )
    assert done.json()["state"] == CaseState.RECTIFIED
    revisit = api.post(
        f"/api/v1/reviews/cases/{case.pk}/revisit/", {"level": "satisfied"}, format="json"
    )
    assert revisit.json()["state"] == CaseState.REVISITED


def test_case_list_is_scoped(api, department, citizen, window_staff, other_dept_staff, supervisor):
    review(department, citizen, "dissatisfied")
    assert _as(api, window_staff).get("/api/v1/reviews/cases/").json()["count"] == 1
    assert _as(api, other_dept_staff).get("/api/v1/reviews/cases/").json()["count"] == 0
    assert _as(api, supervisor).get("/api/v1/reviews/cases/").json()["count"] == 1
    assert _as(api, citizen).get("/api/v1/reviews/cases/").json()["count"] == 0


def test_supervise_allowed_and_denied(api, department, citizen, supervisor, window_staff):
    case = review(department, citizen, "dissatisfied").case
    url = f"/api/v1/reviews/cases/{case.pk}/supervise/"
    assert _as(api, window_staff).post(url, {"note": "x"}, format="json").status_code == 403
    assert _as(api, supervisor).post(url, {"note": "请尽快"}, format="json").status_code == 200


def test_appeal_and_decide_allowed_and_denied(api, department, citizen, approver, supervisor):
    bad = review(department, citizen, "dissatisfied", anonymous=True)
    url = f"/api/v1/reviews/{bad.pk}/appeal/"
    body = {"ground": "malicious", "reason": "恶意差评"}
    assert _as(api, supervisor).post(url, body, format="json").status_code == 403
    filed = _as(api, approver).post(url, body, format="json")
    assert filed.status_code == 201
    decide = f"/api/v1/reviews/appeals/{filed.json()['id']}/decide/"
    assert api.post(decide, {"upheld": True, "note": "x"}, format="json").status_code == 403
    ok = _as(api, supervisor).post(decide, {"upheld": True, "note": "属实"}, format="json")
    assert ok.json()["state"] == "upheld"
    again = api.post(decide, {"upheld": False, "note": "改判"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "appeal_decided"
    assert Appeal.objects.get().state == "upheld"
    assert not RectificationCase.objects.exists()


def test_follow_up_api(api, department, citizen, other_citizen):
    given = review(department, citizen)
    url = f"/api/v1/reviews/{given.pk}/follow-up/"
    assert _as(api, other_citizen).post(url, {"text": "冒充"}, format="json").status_code == 404
    assert _as(api, citizen).post(url, {"text": "后续很顺利"}, format="json").status_code == 201
