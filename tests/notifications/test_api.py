"""/api/v1/notifications/: a person's own inbox; others' messages are 404 (DOMAIN A17)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.notifications.models import Notification
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_is_refused(api):
    assert api.get(LIST).status_code == 403


def test_list_own_inbox_unread_first(api, citizen, other_citizen):
    read = NotificationFactory(recipient=citizen, title="已读", read_at=timezone.now())
    unread = NotificationFactory(recipient=citizen, title="未读")
    NotificationFactory(recipient=other_citizen, title="别人的")
    NotificationFactory(recipient=citizen, channel="sms", status="pending", sent_at=None)
    api.force_login(citizen)

    response = api.get(LIST)

    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [r["id"] for r in response.data["results"]] == [unread.pk, read.pk]
    assert response.data["results"][0]["is_read"] is False
    assert set(response.data["results"][0]) == {
        "id",
        "category",
        "title",
        "body",
        "link",
        "is_read",
        "read_at",
        "created_at",
    }


def test_filter_unread(api, citizen):
    NotificationFactory(recipient=citizen, read_at=timezone.now())
    unread = NotificationFactory(recipient=citizen)
    api.force_login(citizen)

    response = api.get(LIST, {"unread": "true"})

    assert [r["id"] for r in response.data["results"]] == [unread.pk]


def test_mark_read_own(api, citizen):
    notification = NotificationFactory(recipient=citizen)
    api.force_login(citizen)

    response = api.post(f"{LIST}{notification.pk}/read")

    assert response.status_code == 200
    assert response.data["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_others_message_is_404_for_read_and_mark(api, citizen, other_citizen):
    notification = NotificationFactory(recipient=other_citizen)
    api.force_login(citizen)

    detail = api.get(f"{LIST}{notification.pk}/")
    mark = api.post(f"{LIST}{notification.pk}/read")

    assert detail.status_code == 404
    assert mark.status_code == 404
    assert mark.data == {"error": {"code": "not_found", "message": "消息不存在或已被删除。"}}
    notification.refresh_from_db()
    assert notification.read_at is None


def test_detail_own(api, citizen):
    notification = NotificationFactory(recipient=citizen, title="办结通知")
    api.force_login(citizen)

    response = api.get(f"{LIST}{notification.pk}/")

    assert response.status_code == 200
    assert response.data["title"] == "办结通知"
    notification.refresh_from_db()
    assert notification.read_at is None  # reading over the API is explicit: POST …/read


def test_mark_all_read(api, citizen, other_citizen):
    NotificationFactory.create_batch(2, recipient=citizen)
    theirs = NotificationFactory(recipient=other_citizen)
    api.force_login(citizen)

    response = api.post(f"{LIST}read-all")

    assert response.status_code == 200
    assert response.data == {"marked": 2}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_endpoints_are_in_the_openapi_schema(api, citizen):
    api.force_login(citizen)

    response = api.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert "/api/v1/notifications/" in paths
    assert "/api/v1/notifications/{id}/read" in paths
    assert "post" in paths["/api/v1/notifications/read-all"]
