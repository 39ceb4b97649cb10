"""The header badge: unread count in one COUNT query, only for signed-in people."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from apps.notifications.context_processors import inbox
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_unread_count_for_signed_in_user(citizen, other_citizen, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=citizen)
    NotificationFactory(recipient=citizen, read_at="2026-01-01T00:00:00+08:00")
    NotificationFactory(recipient=citizen, channel="email", status="pending", sent_at=None)
    NotificationFactory(recipient=other_citizen)
    request = RequestFactory().get("/")
    request.user = citizen

    with django_assert_num_queries(1) as captured:
        context = inbox(request)

    assert context == {"inbox_unread": 2}
    assert "COUNT(" in captured.captured_queries[0]["sql"]


def test_no_query_for_anonymous(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert inbox(request) == {"inbox_unread": 0}
