"""特约监督员 over the API (DOMAIN S1): a supervisor in office submits opinions, lists their
own and confirms the answer; anyone else is refused with the one structured error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.halls import services
from apps.halls.models import Opinion, SocialSupervisor
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/halls/opinions"


@pytest.fixture
def api():
    return APIClient()


def _appoint(hall_manager, name: str, category: str = "deputy"):
    user = UserFactory(full_name=name)
    services.supervisor_appoint(actor=hall_manager, user=user, category=category)
    return user


@pytest.fixture
def deputy(setup, hall_manager):
    return _appoint(hall_manager, "郑代表")


def test_supervisor_submits_and_lists_their_own_opinions_S1(setup, api, deputy, hall_manager):
    api.force_authenticate(deputy)
    created = api.post(
        URL,
        {
            "content": "周六延时服务窗口开放太少",
            "hall": setup.hall.pk,
            "window": setup.windows[0].pk,
            "item": setup.item.pk,
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "submitted" and body["state_label"] == "已提交"
    assert body["hall"] == "市民服务中心" and body["window"] == "1"
    assert body["due_on"] == "2026-10-19"  # ten working days over the National Day holidays
    other = _appoint(hall_manager, "钱委员", "committee")
    services.opinion_submit(actor=other, content="另一位监督员的意见内容")
    listed = api.get(URL).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


def test_supervisor_confirms_the_answer_S1(setup, api, deputy, hall_manager, window_staff):
    opinion = services.opinion_submit(actor=deputy, content="大厅等候区座位太少")
    services.opinion_assign(actor=hall_manager, opinion_id=opinion.pk, assignee=window_staff)
    services.opinion_answer(actor=window_staff, opinion_id=opinion.pk, answer="已增加二十个座位")
    api.force_authenticate(deputy)
    url = f"{URL}/{opinion.pk}/confirm"
    refused = api.post(url, {"satisfied": False}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "note_required"
    closed = api.post(url, {"satisfied": True, "note": "已现场查看"}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "window_staff", "retired"])
def test_others_are_refused_with_a_structured_error_S1(
    setup, api, deputy, hall_manager, citizen, window_staff, persona
):
    if persona == "retired":
        retired = _appoint(hall_manager, "吴代表")
        SocialSupervisor.objects.filter(user=retired).update(is_active=False)
        api.force_authenticate(retired)
    elif persona != "anonymous":
        api.force_authenticate({"citizen": citizen, "window_staff": window_staff}[persona])
    for response in (api.get(URL), api.post(URL, {"content": "意见内容足够长"}, format="json")):
        assert response.status_code in (401, 403)
        assert "error" in response.json()
    assert not Opinion.objects.exists()


def test_someone_elses_opinion_cannot_be_confirmed_S1(setup, api, deputy, hall_manager):
    opinion = services.opinion_submit(actor=deputy, content="叫号屏字体太小看不清")
    other = _appoint(hall_manager, "钱委员", "committee")
    api.force_authenticate(other)
    response = api.post(f"{URL}/{opinion.pk}/confirm", {"satisfied": True}, format="json")
    assert response.status_code == 404 and "error" in response.json()


@pytest.mark.parametrize(
    ("body", "field_or_code"),
    [
        ({}, "content"),
        ({"content": "太短"}, "content_required"),
        ({"content": "意见内容足够长", "hall": "x"}, "hall"),
        ({"content": "意见内容足够长", "hall": 999999}, "hall_not_found"),
        ({"content": "意见内容足够长", "window": 999999}, "window_not_found"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved_S1(setup, api, deputy, body, field_or_code):
    api.force_authenticate(deputy)
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == field_or_code or field_or_code in str(error)
    assert error["message"]
    assert not Opinion.objects.exists()


def test_the_schema_documents_the_opinion_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/halls/opinions" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/halls/opinions"]
    assert "/api/v1/halls/opinions/{id}/confirm" in schema["paths"]
