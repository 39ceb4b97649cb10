"""The question log (DOMAIN Q2, A17): every question is recorded without personal data,
feedback is given once by the asker, and unanswered questions become a work list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.assistant.models import Channel, Question
from apps.assistant.privacy import MARKER, scrub
from apps.assistant.selectors import question_figures, question_worklist
from apps.assistant.services import question_ask, question_feedback, question_handle
from apps.common.errors import ApplicationError, PermissionDeniedError


@pytest.mark.parametrize(
    "text",
    [
        "身份证号350102199001011234办社保卡要多久",
        "我的电话13812345678，社保卡丢了",
        "联系我 0591-87654321",
        "公司代码91350100MA2XYZ1234",
        "邮箱 zhang.san@example.com",
        "银行卡6222021234567890123怎么绑定社保卡",
    ],
)
def test_personal_numbers_are_taken_out_of_a_question_a17(text):
    cleaned = scrub(text)
    assert MARKER in cleaned
    assert not any(ch.isdigit() for ch in cleaned.replace("0591", "")) or "@" not in cleaned


def test_a_question_is_stored_without_the_askers_numbers_a17_q2(db):
    question, _answer = question_ask(
        text="我身份证350102199001011234，手机13812345678，社保卡丢了怎么办", channel=Channel.HOME
    )
    stored = Question.objects.get(pk=question.pk)
    assert "350102199001011234" not in stored.text and "13812345678" not in stored.text
    assert stored.text.count(MARKER) == 2
    # no field of the row can point back at the person who asked
    fields = {f.name for f in Question._meta.get_fields()}
    assert not fields & {"user", "applicant", "ip", "ip_address", "session", "phone"}


def test_an_unanswerable_question_goes_to_the_work_list_q2(db):
    question, answer = question_ask(text="今天天气怎么样")
    assert not answer.answered
    assert list(question_worklist()) == [question]
    assert question_figures()["open"] == 1


def test_feedback_is_given_once_by_the_holder_of_the_token_q2(db):
    question, _answer = question_ask(text="今天天气怎么样")
    with pytest.raises(ApplicationError):
        question_feedback(token="not-the-token", helpful=True)
    question_feedback(token=question.feedback_token, helpful=False)
    with pytest.raises(ApplicationError, match="已评价"):
        question_feedback(token=question.feedback_token, helpful=True)
    assert Question.objects.get().helpful is False


def test_staff_handle_a_question_with_a_note(db, supervisor, citizen):
    question, _answer = question_ask(text="今天天气怎么样")
    with pytest.raises(PermissionDeniedError):
        question_handle(actor=citizen, question_id=question.pk, note="已补充关键词")
    with pytest.raises(ApplicationError):
        question_handle(actor=supervisor, question_id=question.pk, note=" ")
    handled = question_handle(actor=supervisor, question_id=question.pk, note="已编写知识库文章")
    assert handled.handled_by == supervisor and handled.handled_at
    assert list(question_worklist()) == []


def test_an_empty_question_is_refused(db):
    with pytest.raises(ApplicationError):
        question_ask(text="   ")
    assert not Question.objects.exists()


def test_the_work_list_page_for_staff(client, supervisor, citizen, django_assert_max_num_queries):
    for text in ("今天天气怎么样", "股票明天会涨吗", "世界杯冠军是谁"):
        question_ask(text=text)
    client.force_login(citizen)
    assert client.get(reverse("assistant:worklist")).status_code in (302, 403)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assistant:worklist"))
    assert response.status_code == 200
    assert "股票明天会涨吗" in response.content.decode()
    response = client.post(
        reverse("assistant:worklist"),
        {"question": Question.objects.first().pk, "note": "不属于政务服务"},
    )
    assert response.status_code == 302
    assert question_figures()["open"] == 2
