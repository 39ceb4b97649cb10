"""The question box on the home page, the item pages and the hotline's intake screen, the
answer page with its feedback buttons (DOMAIN Q2)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.assistant.integrations import index_publication
from apps.assistant.models import Question
from tests.catalogue.factories import ServiceItemFactory


def test_the_home_page_has_the_question_box(client, db):
    page = client.get(reverse("home")).content.decode()
    assert 'id="assistant-q"' in page and reverse("assistant:ask") in page


def test_an_item_page_has_the_question_box(client, background_index):
    item = background_index[0].item
    page = client.get(reverse("catalogue:item", args=[item.code])).content.decode()
    assert "对这个事项还有疑问" in page and 'name="channel" value="item"' in page


def test_the_intake_screen_has_the_question_box(client, hotline_operator):
    client.force_login(hotline_operator)
    page = client.get(reverse("admin:hotline_ticket_intake")).content.decode()
    assert 'id="assistant-intake-q"' in page and reverse("api-assistant-ask") in page


def test_asking_on_the_answer_page_quotes_and_links_the_source_q2(
    client, background_index, django_assert_max_num_queries
):
    client.get(reverse("assistant:ask"), {"q": "预热"})  # builds this process's index
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("assistant:ask"), {"q": "换身份证要带什么", "channel": "home"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "居民身份证换领" in page and 'class="assistant-quote"' in page
    assert "有帮助" in page and "没帮助" in page
    assert Question.objects.filter(channel="home", answered=True).count() == 1


def test_the_english_answer_page_names_items_in_english_q2(
    client, background_index, django_assert_max_num_queries
):
    """Issue #17: on /en/ the quoted source and the items to apply for show their English
    names, the others their Chinese name marked "(Chinese only)"; no query more."""
    guide = background_index[0]
    guide.item.name_en = "Renewal of the resident identity card"
    guide.item.save()
    index_publication([guide], [])
    with translation.override(settings.LANGUAGE_CODE):
        client.get("/en/ask/", {"q": "预热"})  # builds this process's index
        with django_assert_max_num_queries(10):
            response = client.get("/en/ask/", {"q": "换身份证要带什么"})
        page = response.content.decode()
        chinese = client.get("/ask/", {"q": "换身份证要带什么"}).content.decode()
    url = reverse("catalogue:item", args=[guide.item.code])
    assert f'— <a href="{url}">Renewal of the resident identity card</a>' in page
    assert f'<li><a href="/en{url}">Renewal of the resident identity card</a></li>' in page
    assert f'— <a href="{url}">居民身份证换领</a>' in chinese
    assert "Renewal of the resident identity card" not in chinese


def test_an_unanswered_question_offers_12345_and_the_web_form_q2(client, background_index):
    page = client.get(reverse("assistant:ask"), {"q": "今天天气怎么样"}).content.decode()
    assert "暂时没有找到" in page
    assert "12345" in page and reverse("hotline:submit") in page


def test_feedback_from_the_answer_page(client, db):
    client.get(reverse("assistant:ask"), {"q": "今天天气怎么样"})
    question = Question.objects.get()
    response = client.post(
        reverse("assistant:feedback"), {"token": question.feedback_token, "helpful": "no"}
    )
    assert response.status_code == 200
    assert Question.objects.get().helpful is False


def test_a_public_knowledge_article_page_and_a_draft_is_not_found(client, department):
    from tests.hotline.factories import published_article

    article = published_article(department=department, title="电动自行车上牌")
    assert client.get(reverse("assistant:article", args=[article.pk])).status_code == 200
    article.status = "draft"
    article.save(update_fields=["status"])
    assert client.get(reverse("assistant:article", args=[article.pk])).status_code == 404


def test_an_overlong_or_odd_question_never_fails(client, db):
    response = client.get(reverse("assistant:ask"), {"q": "办" * 5000 + "\u200b<script>"})
    assert response.status_code == 200
    assert len(Question.objects.get().text) <= 200
    ServiceItemFactory()  # nothing indexed: still no error
    assert client.get(reverse("assistant:ask"), {"q": "护照"}).status_code == 200
