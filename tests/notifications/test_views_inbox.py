"""The inbox pages: own messages only, unread first, constant queries (DOMAIN A14, A17)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.views import PAGE_SIZE
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_list_shows_own_messages_unread_first_and_bold(citizen, other_citizen, login):
    now = timezone.now()
    NotificationFactory(recipient=citizen, title="较早未读", created_at=now)
    read = NotificationFactory(recipient=citizen, title="最新已读", read_at=now)
    NotificationFactory(recipient=other_citizen, title="别人的消息")
    NotificationFactory(
        recipient=citizen, title="短信记录", channel="sms", status="pending", sent_at=None
    )
    Notification.objects.filter(pk=read.pk).update(created_at=now + datetime.timedelta(hours=1))

    response = login(citizen).get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("较早未读") < html.index("最新已读")
    assert '<strong><span class="visually-hidden">未读：</span>较早未读</strong>' in html
    assert '<strong><span class="visually-hidden">未读：</span>最新已读' not in html
    assert "别人的消息" not in html
    assert "短信记录" not in html  # email/SMS rows are delivery records, not inbox messages
    assert "全部标为已读" in html


def test_list_runs_a_constant_number_of_queries(
    client, citizen, django_assert_max_num_queries, login
):
    login(citizen)
    NotificationFactory.create_batch(3, recipient=citizen)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    NotificationFactory.create_batch(PAGE_SIZE + 5, recipient=citizen)

    # session, user, page COUNT, page rows, header unread COUNT
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(LIST_URL)

    assert len(few) <= 6
    assert len(many) == len(few)
    assert response.context["page"].paginator.num_pages == 2


def test_second_page(citizen, login):
    NotificationFactory.create_batch(PAGE_SIZE + 1, recipient=citizen)

    response = login(citizen).get(LIST_URL, {"page": 2})

    assert len(response.context["page"].object_list) == 1
    assert "第 2 / 2 页" in response.content.decode()


def test_opening_a_message_marks_it_read(client, citizen, login):
    notification = NotificationFactory(recipient=citizen, title="材料补正通知", link="/a/1/")

    response = login(citizen).get(reverse("notifications:detail", args=[notification.pk]))

    assert response.status_code == 200
    assert "材料补正通知" in response.content.decode()
    assert 'href="/a/1/"' in response.content.decode()
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None

    client.get(reverse("notifications:detail", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_someone_elses_message_is_not_found(citizen, other_citizen, login):
    """DOMAIN A17: 404, not 403 — whether the message exists is not told either."""
    notification = NotificationFactory(recipient=other_citizen)

    response = login(citizen).get(reverse("notifications:detail", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(citizen, other_citizen, login):
    mine = NotificationFactory.create_batch(3, recipient=citizen)
    theirs = NotificationFactory(recipient=other_citizen)

    response = login(citizen).post(reverse("notifications:mark_all_read"), follow=True)

    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    html = response.content.decode()
    assert 'role="status">已将 3 条消息标为已读。' in html
    assert "全部标为已读" not in html  # nothing left to mark


def test_mark_all_read_needs_post(citizen, login):
    NotificationFactory(recipient=citizen)

    response = login(citizen).get(reverse("notifications:mark_all_read"))

    assert response.status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_empty_inbox(citizen, login):
    response = login(citizen).get(LIST_URL)

    assert "暂无消息" in response.content.decode()
