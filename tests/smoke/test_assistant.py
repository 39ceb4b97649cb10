"""智能问答 on SQLite (`make run`): the index, the answer page and the dashboard's monthly
figures work without Postgres (issue #18)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.assistant.integrations import index_publication
from apps.assistant.models import Passage, Question
from apps.assistant.selectors import question_monthly
from tests.catalogue.factories import published_item

pytestmark = pytest.mark.django_db


def test_questions_are_answered_and_counted_on_sqlite(client):
    assert connection.vendor == "sqlite"
    items = [
        published_item(name, keywords=keywords, item={"code": code})
        for code, name, keywords in [
            ("A001", "居民身份证换领", "换身份证"),
            ("A002", "社会保障卡申领", "社保卡"),
            ("A003", "机动车注册登记", "新车上牌"),
            ("A004", "结婚登记", "领结婚证"),
        ]
    ]
    index_publication([item.guides.get() for item in items], [])
    assert Passage.objects.count() == 12  # conditions, place and time, limit and fee (no materials)
    page = client.get(reverse("assistant:ask"), {"q": "社保卡怎么办"}).content.decode()
    assert "社会保障卡申领" in page
    assert Question.objects.get().answered
    month = timezone.localdate().replace(day=1)
    assert question_monthly(start=month, end=month)[0]["asked"] == 1
