"""Answers to questions in plain Chinese (DOMAIN Q2): life events lead to their 一件事,
answers quote published text with its link, and what cannot be answered says so."""

from __future__ import annotations

from apps.assistant.answering import answer_question
from apps.catalogue.models import Bundle


def test_a_birth_leads_to_the_newborn_bundle_and_its_members_q2(demo_catalogue):
    answer = answer_question("孩子出生了要办什么？")
    assert answer.answered
    assert answer.bundle is not None and answer.bundle.name == "新生儿出生一件事"
    members = list(
        Bundle.objects.get(code="YJS-XSECS")
        .steps.order_by("stage", "id")
        .values_list("item__name", flat=True)
    )
    assert [item.name for item in answer.bundle.items] == members
    assert answer.targets[0] == "YJS-XSECS"


def test_the_answer_carries_the_english_names_of_its_sources_q2(demo_catalogue):
    """Issue #17: the 一件事, its members and the quotes carry their English names (the
    passage keeps its source's), for the English answer page; blank where there is none."""
    answer = answer_question("孩子出生了要办什么？")
    assert answer.bundle is not None and answer.bundle.name_en == "Birth of a child"
    assert answer.quotes[0].title == "新生儿出生一件事"
    assert answer.quotes[0].title_en == "Birth of a child"
    english = dict(
        Bundle.objects.get(code="YJS-XSECS").steps.values_list("item__name", "item__name_en")
    )
    assert {item.name: item.name_en for item in answer.bundle.items} == english


def test_opening_a_restaurant_leads_to_its_bundle_q2(demo_catalogue):
    answer = answer_question("开饭店需要办什么")
    assert answer.bundle is not None and answer.bundle.code == "YJS-KFD"
    assert "食品经营许可" in [item.name for item in answer.bundle.items]
    assert answer.bundle.url == "/bundles/YJS-KFD/"


def test_the_answer_quotes_published_text_with_its_link_q2(demo_catalogue):
    answer = answer_question("社保卡丢了怎么办")
    assert answer.answered
    quote = answer.quotes[0]
    assert quote.url.startswith("/items/") or quote.url.startswith("/bundles/")
    assert answer.items[0].name == "社会保障卡申领"
    # a quote is the source's words, never text made up for the answer
    from apps.assistant.models import Passage

    assert Passage.objects.filter(text=quote.text, url=quote.url).exists()


def test_a_question_it_cannot_answer_says_so_q2(demo_catalogue):
    answer = answer_question("今天天气怎么样")
    assert not answer.answered
    assert answer.quotes == [] and answer.items == [] and answer.bundle is None


def test_an_empty_index_answers_nothing(db):
    assert not answer_question("孩子出生了要办什么").answered
