"""The catalogue search on SQLite (`make run`): words, synonyms, pinyin, ranking (issue #9)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from apps.catalogue.search import Tier, search_items
from tests.catalogue.factories import published_item

pytestmark = pytest.mark.django_db


def test_search_ranks_words_synonyms_and_pinyin_on_sqlite(client):
    assert connection.vendor == "sqlite"
    published_item("身份证明开具", item={"code": "A001", "item_type": "public_service"})
    published_item("居民身份证申领", item={"code": "A002", "item_type": "confirmation"})
    published_item("社会保险登记", item={"code": "A003"})
    assert [(i.name, i.rank) for i in search_items("身份证")] == [
        ("居民身份证申领", Tier.WORD),
        ("身份证明开具", Tier.TEXT),
    ]
    assert [i.name for i in search_items("社保")] == ["社会保险登记"]  # shipped synonyms
    assert [i.name for i in search_items("jmsfz")] == ["居民身份证申领"]
    page = client.get(reverse("catalogue:search"), {"q": "社保"})
    assert "社会保险登记" in page.content.decode()
