"""The header badge: the unread count, counted once and then kept until the inbox changes;
no query for anonymous visitors, nor on pages that do not show it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from apps.notifications.badge import KEY, SETTLE_SECONDS, STALE, STALE_SECONDS
from apps.notifications.bulk import BulkMessage, notify_bulk
from apps.notifications.context_processors import inbox
from apps.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _badge(user) -> int:
    request = RequestFactory().get("/")
    request.user = user
    return int(str(inbox(request)["inbox_unread"]))  # the page prints it


def test_unread_count_for_signed_in_user(citizen, other_citizen, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=citizen)
    NotificationFactory(recipient=citizen, read_at="2026-01-01T00:00:00+08:00")
    NotificationFactory(recipient=citizen, channel="email", status="pending", sent_at=None)
    NotificationFactory(recipient=other_citizen)
    request = RequestFactory().get("/")
    request.user = citizen

    with django_assert_num_queries(1) as captured:
        context = inbox(request)
        assert context["inbox_unread"] == 2

    assert "COUNT(" in captured.captured_queries[0]["sql"]


def test_the_count_is_kept_until_the_inbox_changes(citizen, django_assert_num_queries):
    assert _badge(citizen) == 0

    with django_assert_num_queries(0):
        assert _badge(citizen) == 0


def test_a_page_that_does_not_show_the_badge_does_not_count(citizen, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = citizen

    with django_assert_num_queries(0):
        inbox(request)


def test_no_query_for_anonymous(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert inbox(request) == {"inbox_unread": 0}


def test_a_new_message_shows_at_once(citizen, other_citizen):
    assert _badge(citizen) == 0
    assert _badge(other_citizen) == 0

    notify(recipient=citizen, title="材料已受理", body="您的申请已受理。")

    assert _badge(citizen) == 1
    assert _badge(other_citizen) == 0


def test_reading_a_message_shows_at_once(citizen):
    first, _second = (notify(recipient=citizen, title=f"消息{n}", body="正文")[0] for n in range(2))
    assert _badge(citizen) == 2

    notification_mark_read(user=citizen, notification_id=first.pk)
    assert _badge(citizen) == 1

    notifications_mark_all_read(user=citizen)
    assert _badge(citizen) == 0


def test_a_mass_push_shows_at_once(citizen, other_citizen):
    assert _badge(citizen) == 0
    assert _badge(other_citizen) == 0

    notify_bulk(
        BulkMessage(
            recipient_id=u.pk,
            channel="inbox",
            title="政策推送",
            body="正文",
            dedupe_key=f"push-test-{u.pk}",
        )
        for u in (citizen, other_citizen)
    )

    assert _badge(citizen) == 1
    assert _badge(other_citizen) == 1


def test_the_page_header_shows_a_new_message_at_once(client, citizen):
    client.force_login(citizen)
    page = reverse("accounts:privacy_notice")
    assert "条未读" not in client.get(page).content.decode()

    notify(recipient=citizen, title="材料已受理", body="您的申请已受理。")

    assert "（1 条未读）" in client.get(page).content.decode()


def test_a_count_made_while_a_message_is_being_written_is_not_kept(citizen):
    """A page that counted the rows of before a message's commit must not keep that count
    past the commit: while the write is fresh, pages count again and keep nothing."""
    assert _badge(citizen) == 0

    notify(recipient=citizen, title="材料已受理", body="您的申请已受理。")

    assert cache.get(KEY.format(citizen.pk)) == STALE
    assert _badge(citizen) == 1
    assert cache.get(KEY.format(citizen.pk)) == STALE  # still not kept


def test_the_count_is_kept_again_once_the_write_is_old(citizen, django_assert_num_queries):
    notify(recipient=citizen, title="材料已受理", body="您的申请已受理。")
    cache.delete(KEY.format(citizen.pk))  # as when the STALE mark has expired

    assert _badge(citizen) == 1
    with django_assert_num_queries(0):
        assert _badge(citizen) == 1


def test_once_the_message_commits_the_mark_lasts_seconds_not_a_minute(
    citizen, django_capture_on_commit_callbacks
):
    """Right after a submission the citizen opens page after page: only those within
    ``SETTLE_SECONDS`` of the commit count again, then the count is kept."""
    key = cache.make_key(KEY.format(citizen.pk))
    redis = cache._cache.get_client(key)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=citizen, title="材料已受理", body="您的申请已受理。")
    assert STALE_SECONDS - 5 < redis.ttl(key) <= STALE_SECONDS  # being written: a minute

    for callback in callbacks:  # the commit
        callback()

    assert cache.get(KEY.format(citizen.pk)) == STALE
    assert 0 < redis.ttl(key) <= SETTLE_SECONDS
