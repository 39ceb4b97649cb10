"""The assistant over the API: public, structured errors, feedback once (DOMAIN Q2)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from apps.assistant.models import Question


def test_anyone_may_ask_and_gets_quotes_and_items_q2(background_index):
    response = APIClient().post(
        reverse("api-assistant-ask"), {"question": "新车上牌去哪办"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["answered"] is True
    assert body["items"][0]["name"] == "机动车注册登记"
    assert body["quotes"][0]["url"].startswith("/items/")
    assert body["fallback"] is None
    assert Question.objects.get().channel == "api"


def test_an_unanswered_question_offers_the_hotline_q2(background_index, citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    body = client.post(
        reverse("api-assistant-ask"), {"question": "今天天气怎么样", "channel": "hotline"}
    ).json()
    assert body["answered"] is False
    assert body["fallback"] == {"hotline": "12345", "web_form": reverse("hotline:submit")}


def test_bad_input_is_refused_with_the_reason(db):
    response = APIClient().post(reverse("api-assistant-ask"), {"question": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not Question.objects.exists()


def test_feedback_once_with_the_token(db):
    client = APIClient()
    token = client.post(reverse("api-assistant-ask"), {"question": "今天天气怎么样"}).json()[
        "feedback_token"
    ]
    url = reverse("api-assistant-feedback")
    assert client.post(url, {"token": token, "helpful": True}).status_code == 204
    again = client.post(url, {"token": token, "helpful": False})
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_rated"
    assert client.post(url, {"token": "nope", "helpful": True}).status_code in (400, 404)
    assert Question.objects.get().helpful is True
