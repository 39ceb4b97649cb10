"""The supervisors' panel: questions asked, the helped rate and the work list (DOMAIN Q2)."""

from __future__ import annotations

from django.utils import timezone

from apps.assistant.services import question_ask, question_feedback
from apps.dashboard.panels import Query
from apps.dashboard.panels.assistant import questions


def test_the_panel_counts_questions_help_and_open_work(db, supervisor):
    for text, helpful in (("今天天气怎么样", None), ("股票明天会涨吗", False), ("护照", True)):
        question, _answer = question_ask(text=text)
        if helpful is not None:
            question_feedback(token=question.feedback_token, helpful=helpful)
    month = timezone.localdate().replace(day=1)
    data = questions(Query(user=supervisor, start=month, end=month, today=timezone.localdate()))
    row = data.table.rows[0]
    assert row[1] == 3  # asked
    assert row[3] == 2  # rated
    assert row[4] == "50.0%"  # helped
    assert row[5].text == "3"  # nothing indexed: all three unanswered or unhelpful
    assert "群众提问3个" in data.summary
