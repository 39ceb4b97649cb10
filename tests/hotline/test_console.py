"""The hotline console in the admin: intake screen, JSON helpers, queues, ticket page,
analysis and its exports (issue #13; DOMAIN H4, H5, H6)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.hotline import services
from apps.hotline.analysis import monthly_report
from apps.hotline.models import KnowledgeArticle, Open311ApiKey, Ticket
from apps.hotline.workflow import TicketState
from tests.hotline.factories import call, published_article

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _intake_data(category, **overrides):
    data = {
        "caller_phone": "13912345678",
        "caller_name": "李来电",
        "ticket_type": "complaint",
        "category": category.pk,
        "urgency": "normal",
        "district": "鼓楼区",
        "address": "五四路1号",
        "content": "夜间施工噪声。",
        "step": "dispatch",
    }
    data.update(overrides)
    return data


def test_intake_screen_registers_and_dispatches(operator, category, department):
    client = _client(operator)
    url = reverse("admin:hotline_ticket_intake")
    page = client.get(url)
    assert page.status_code == 200 and "来电号码" in page.content.decode()
    response = client.post(url, _intake_data(category))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:hotline_ticket_change", args=[ticket.pk])
    assert ticket.state == TicketState.DISPATCHED and ticket.department == department


def test_intake_answer_from_kb_closes_on_the_spot(operator, category):
    """H5: the operator answers an enquiry from the knowledge base on the intake screen."""
    article = published_article()
    client = _client(operator)
    client.post(
        reverse("admin:hotline_ticket_intake"),
        _intake_data(category, ticket_type="enquiry", step="answer", article=article.pk),
    )
    ticket = Ticket.objects.get()
    assert ticket.state == TicketState.CLOSED and ticket.kb_article == article


def test_intake_keeps_the_ticket_when_the_second_step_fails(operator, category):
    client = _client(operator)
    response = client.post(
        reverse("admin:hotline_ticket_intake"), _intake_data(category, step="answer"), follow=True
    )
    ticket = Ticket.objects.get()
    assert ticket.state == TicketState.PENDING_DISPATCH
    assert "已登记" in response.content.decode()


def test_intake_is_for_the_centre_only(handler, category):
    assert _client(handler).get(reverse("admin:hotline_ticket_intake")).status_code == 403


def test_kb_suggestions_as_the_operator_types(operator, handler):
    """H2: Chinese substrings and pinyin initials; only current articles."""
    article = published_article(title="社保卡补办流程", keywords="社保卡,补办")
    published_article(title="已下线的口径", keywords="社保卡", status="withdrawn")
    client = _client(operator)
    url = reverse("admin:hotline_ticket_kb_suggest")
    assert [a["id"] for a in client.get(url + "?q=社保卡").json()["articles"]] == [article.pk]
    assert [a["id"] for a in client.get(url + "?q=sbk").json()["articles"]] == [article.pk]
    assert client.get(url + "?q=%00").status_code == 400
    assert _client(handler).get(url + "?q=社保").status_code == 403


def _tickets(operator, category, n: int, phone: str = "13912345678") -> None:
    for i in range(n):
        services.ticket_take_call(
            actor=operator, data=call(category, caller_phone=phone, address=f"地址{i}")
        )


def test_caller_history_is_a_constant_number_of_queries(
    operator, category, django_assert_max_num_queries
):
    """H4: the caller's earlier tickets appear at once, whatever their number."""
    client = _client(operator)
    url = reverse("admin:hotline_ticket_caller_history") + "?phone=13912345678"
    client.get(url)
    _tickets(operator, category, 2)
    with django_assert_max_num_queries(8):
        small = client.get(url).json()
    _tickets(operator, category, 25)
    with django_assert_max_num_queries(8):
        large = client.get(url).json()
    assert len(small["tickets"]) == 2 and len(large["tickets"]) == 20


def test_queue_is_a_constant_number_of_queries(
    operator, category, handler, django_assert_max_num_queries
):
    client = _client(handler)
    url = reverse("admin:hotline_ticket_queue") + "?tab=todo"

    def dispatch(n):
        for i in range(n):
            t = services.ticket_take_call(
                actor=operator, data=call(category, caller_phone=f"1370000{i:04d}", address=f"{i}")
            )
            services.ticket_dispatch(ticket_id=t.pk, actor=operator)

    dispatch(2)
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    dispatch(20)
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.context["page"].paginator.count == 22


def test_ticket_page_shows_only_allowed_actions_and_runs_one(operator, category, handler):
    ticket = services.ticket_take_call(actor=operator, data=call(category))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    page = _client(handler).get(reverse("admin:hotline_ticket_change", args=[ticket.pk]))
    names = [f["action"].name for f in page.context["action_forms"]]
    assert names == ["sign", "return", "request_extension"]
    operator_names = [
        f["action"].name
        for f in _client(operator)
        .get(reverse("admin:hotline_ticket_change", args=[ticket.pk]))
        .context["action_forms"]
    ]
    assert "sign" not in operator_names and "merge" in operator_names
    action = reverse("admin:hotline_ticket_action", args=[ticket.pk, "return"])
    response = _client(handler).post(action, {"reason": ""})
    assert response.status_code == 200  # the form is shown again with its error
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.DISPATCHED
    _client(handler).post(reverse("admin:hotline_ticket_action", args=[ticket.pk, "sign"]))
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.IN_PROGRESS
    forged = _client(handler).post(
        reverse("admin:hotline_ticket_action", args=[ticket.pk, "sign"]), follow=True
    )
    assert "不能签收" in forged.content.decode()


def test_monthly_analysis_page_and_exports(operator, supervisor, handler, category):
    """H6: printable report, CSV and Excel."""
    _tickets(operator, category, 3)
    month = f"{timezone.localdate():%Y-%m}"
    url = reverse("admin:hotline_ticket_analysis") + f"?month={month}"
    page = _client(supervisor).get(url)
    assert page.status_code == 200
    assert page.context["report"].total == 3
    assert "噪声扰民" in page.content.decode()
    csv = _client(supervisor).get(url + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8").startswith("\ufeff12345热线月度分析")
    xlsx = _client(supervisor).get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "部门办理情况" in book.sheetnames
    assert _client(handler).get(url).status_code == 403


def test_repeat_complaints_are_found(operator, supervisor, category):
    _tickets(operator, category, 3)
    report = monthly_report(timezone.localdate())
    assert report.repeat_callers[0]["count"] == 3
    assert len(report.repeat_callers[0]["tickets"]) == 3


def test_knowledge_article_admin_workflow(approver, supervisor, department, category):
    """H2: a department writes, the centre reviews and publishes."""
    client = _client(approver)
    response = client.post(
        reverse("admin:hotline_knowledgearticle_add"),
        {
            "title": "夜间施工许可查询",
            "body": "夜间施工须取得许可，可拨打12345核实。",
            "department": department.pk,
            "category": category.pk,
            "keywords": "夜间施工,许可",
            "expires_on": "",
        },
    )
    assert response.status_code == 302, response.content
    article = KnowledgeArticle.objects.get()
    assert article.status == "draft" and "夜间施工" in article.search_text
    changelist = reverse("admin:hotline_knowledgearticle_changelist")
    client.post(changelist, {"action": "submit_for_review", "_selected_action": [article.pk]})
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    assert KnowledgeArticle.objects.get().status == "pending_review"  # not the reviewer
    _client(supervisor).post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    assert KnowledgeArticle.objects.get().status == "published"


def test_open311_key_admin_shows_the_key_once_and_stores_a_hash(system_admin):
    client = _client(system_admin)
    response = client.post(
        reverse("admin:hotline_open311apikey_add"), {"name": "城市大屏", "contact": ""}, follow=True
    )
    key = Open311ApiKey.objects.get()
    shown = next(str(m) for m in response.context["messages"])
    raw = shown.split("：", 1)[1]
    assert key.key_prefix == raw[:8] and raw not in key.key_hash
    assert len(key.key_hash) == 64


def test_kb_suggestions_for_a_typed_sentence(operator):
    """H2: the operator types the caller's sentence; the article sharing its topic words
    comes first, an unrelated one does not come at all."""
    article = published_article(title="社保卡补办流程", keywords="社保卡,补办")
    published_article(
        title="护照办理流程", keywords="护照,出入境", body="持身份证到出入境窗口办理。"
    )
    url = reverse("admin:hotline_ticket_kb_suggest") + "?q=我的社保卡丢了，怎么补办？"
    found = _client(operator).get(url).json()["articles"]
    assert [a["id"] for a in found] == [article.pk]
