"""The hotline API: every endpoint with the allowed and the denied persona (issue #13)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.hotline import services
from apps.hotline.models import Ticket
from tests.accounts.factories import StaffFactory
from tests.hotline.factories import call, published_article

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _payload(category, **overrides):
    data = {
        "ticket_type": "complaint",
        "category_id": category.pk,
        "content": "夜间施工噪声。",
        "caller_phone": "13912345678",
        "district": "鼓楼区",
        "address": "五四路1号",
    }
    data.update(overrides)
    return data


def test_operator_takes_a_call_over_the_api_and_citizen_cannot(operator, citizen, category):
    url = reverse("api-hotline-tickets")
    response = _client(operator).post(url, _payload(category), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"]
    denied = _client(citizen).post(url, _payload(category), format="json")
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"
    assert _client().post(url, _payload(category), format="json").status_code == 403
    assert Ticket.objects.count() == 1


def test_bad_intake_is_a_json_error_with_the_specific_message(operator, category):
    url = reverse("api-hotline-tickets")
    response = _client(operator).post(url, _payload(category, content="  "), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"content_required", "invalid"}
    response = _client(operator).post(url, _payload(category, category_id=99999), format="json")
    assert response.json()["error"] == {
        "code": "unknown_category",
        "message": "诉求分类不存在或已停用。",
    }


def test_wechat_channel_needs_the_channel_permission(operator, category):
    account = StaffFactory(username="wechat-gw", role=Role.HOTLINE_OPERATOR)
    url = reverse("api-hotline-tickets")
    data = _payload(category, channel="wechat")
    account.groups.clear()
    assert _client(account).post(url, data, format="json").status_code == 403
    account.user_permissions.add(Permission.objects.get(codename="submit_via_channel"))
    account = type(account).objects.get(pk=account.pk)
    response = _client(account).post(url, data, format="json")
    assert response.status_code == 201
    assert Ticket.objects.get(number=response.json()["number"]).channel == "wechat"


def test_lifecycle_over_the_api(operator, category, handler, other_dept_staff, supervisor):
    ticket = services.ticket_take_call(actor=operator, data=call(category))
    url = lambda action: reverse(f"api-hotline-ticket-{action}", args=[ticket.pk])  # noqa: E731
    assert _client(handler).post(url("dispatch"), {}, format="json").status_code == 404
    assert _client(operator).post(url("dispatch"), {}, format="json").status_code == 200
    assert _client(other_dept_staff).post(url("sign")).status_code == 404
    assert _client(handler).post(url("sign")).status_code == 200
    response = _client(handler).post(url("return"), {"reason": "x"}, format="json")
    assert response.status_code == 409
    ext = _client(handler).post(
        url("request-extension"), {"reason": "需要测量", "working_days": 2}, format="json"
    )
    assert ext.status_code == 201
    decide = reverse("api-hotline-extension-decide", args=[ext.json()["id"]])
    assert _client(handler).post(decide, {"approve": True}, format="json").status_code == 403
    assert _client(supervisor).post(decide, {"approve": True}, format="json").status_code == 200
    assert (
        _client(supervisor)
        .post(
            reverse("api-hotline-extension-decide", args=[99999]), {"approve": True}, format="json"
        )
        .status_code
        == 400
    )
    assert _client(handler).post(url("reply"), {"text": ""}, format="json").status_code == 400
    assert _client(handler).post(url("reply"), {"text": "已处理"}, format="json").status_code == 200
    assert _client(operator).post(url("close"), {}, format="json").status_code == 200
    response = _client(operator).post(url("callback"), {"satisfaction": "satisfied"}, format="json")
    assert response.json()["satisfaction"] == "satisfied"


def test_answer_and_kb_search(operator, handler, category):
    article = published_article(title="公积金提取条件", keywords="公积金,提取", body="离职可提取。")
    search = reverse("api-hotline-kb-search") + "?q=公积金"
    assert [a["id"] for a in _client(operator).get(search).json()] == [article.pk]
    assert _client().get(search).status_code == 403
    ticket = services.ticket_take_call(actor=operator, data=call(category, ticket_type="enquiry"))
    response = _client(operator).post(
        reverse("api-hotline-ticket-answer", args=[ticket.pk]),
        {"article_id": article.pk},
        format="json",
    )
    assert response.json()["state"] == "closed"


def test_caller_history_api(operator, handler, category):
    services.ticket_take_call(actor=operator, data=call(category))
    url = reverse("api-hotline-caller-history") + "?phone=13912345678"
    assert len(_client(operator).get(url).json()) == 1
    assert _client(handler).get(url).status_code == 403
    assert _client(operator).get(url + "%00").status_code == 400


def test_analysis_and_supervision_endpoints(operator, supervisor, handler, category):
    services.ticket_take_call(actor=operator, data=call(category))
    url = reverse("api-hotline-analysis")
    assert _client(handler).get(url).status_code == 403
    body = _client(supervisor).get(url + f"?month={timezone.localdate():%Y-%m}").json()
    assert body["total"] == 1
    assert body["hot_topics"][0]["category"] == "噪声扰民"
    assert _client(supervisor).get(url + "?month=2025-13").status_code == 400
    sup = reverse("api-hotline-supervision")
    assert _client(supervisor).get(sup).status_code == 200
    assert _client(handler).get(sup).status_code == 403


def test_ticket_list_is_scoped(operator, category, handler, other_dept_staff):
    ticket = services.ticket_take_call(actor=operator, data=call(category))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    url = reverse("api-hotline-tickets")
    assert _client(handler).get(url).json()["count"] == 1
    assert _client(other_dept_staff).get(url).json()["count"] == 0
    assert _client(operator).get(url).json()["count"] == 1
