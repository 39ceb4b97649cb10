"""notify(): rows in the caller's transaction, dedupe, delivery queued after commit (A14)."""

from __future__ import annotations

import json

import pytest
import redis
from django.conf import settings
from django.db import transaction

from apps.notifications.models import Notification
from apps.notifications.services import notify
from govservice.celery import app as celery_app
from tests.notifications.callbacks import queued_work

pytestmark = pytest.mark.django_db


def _notify(recipient, **kwargs):
    kwargs.setdefault("title", "您的办件已受理")
    kwargs.setdefault("body", "申请编号 SQ2026001 已受理。")
    return notify(recipient=recipient, **kwargs)


def test_inbox_notification_is_delivered_at_once(citizen):
    """DOMAIN A14: an inbox message needs no worker."""
    [notification] = _notify(citizen, link="/applications/1/", category="application")

    assert notification.channel == Notification.Channel.INBOX
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None
    assert notification.read_at is None
    assert notification.category == "application"


def test_email_and_sms_rows_start_pending(citizen):
    rows = _notify(citizen, channels=("inbox", "email", "sms"))

    assert [n.channel for n in rows] == ["inbox", "email", "sms"]
    assert [n.status for n in rows] == ["sent", "pending", "pending"]
    assert all(n.attempts == 0 for n in rows)


def test_rows_are_written_in_the_callers_transaction(citizen, django_capture_on_commit_callbacks):
    """A change that rolls back tells nobody anything: no rows, no queued delivery."""
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify(citizen, channels=("inbox", "email", "sms"))
        assert Notification.objects.filter(recipient=citizen).count() == 3
        raise RuntimeError("the caller's change failed")

    assert not Notification.objects.filter(recipient=citizen).exists()
    assert queued_work(callbacks) == []


def test_repeat_call_with_dedupe_key_is_a_no_op(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = _notify(citizen, channels=("inbox", "email"), dedupe_key="app:1:accepted")
        second = _notify(
            citizen, channels=("inbox", "email"), dedupe_key="app:1:accepted", title="变了"
        )

    assert [n.pk for n in first] == [n.pk for n in second]
    assert Notification.objects.filter(recipient=citizen).count() == 2
    assert Notification.objects.get(channel="inbox").title == "您的办件已受理"
    assert len(queued_work(callbacks)) == 1  # the email is queued once


def test_dedupe_key_is_per_channel(citizen):
    _notify(citizen, channels=("inbox",), dedupe_key="licence:9:expiring")
    _notify(citizen, channels=("inbox", "sms"), dedupe_key="licence:9:expiring")

    assert sorted(
        Notification.objects.filter(dedupe_key="licence:9:expiring").values_list(
            "channel", flat=True
        )
    ) == ["inbox", "sms"]


def test_without_dedupe_key_every_call_creates_rows(citizen):
    _notify(citizen)
    _notify(citizen)

    assert Notification.objects.filter(recipient=citizen).count() == 2


def test_delivery_is_queued_on_the_real_broker_after_commit(
    citizen, django_capture_on_commit_callbacks
):
    """The on_commit side effect: one deliver_notification message per email/SMS row."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = celery_app.conf.task_default_queue
    before = broker.llen(queue)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = _notify(citizen, channels=("inbox", "email", "sms"))
        assert broker.llen(queue) == before  # nothing leaves before the commit

    assert len(queued_work(callbacks)) == 2
    raw_messages = broker.lrange(queue, 0, 1)
    assert broker.llen(queue) == before + 2
    headers = [json.loads(raw)["headers"] for raw in raw_messages]
    assert {h["task"] for h in headers} == {"apps.notifications.tasks.deliver_notification"}
    assert {h["argsrepr"] for h in headers} == {f"({rows[1].pk},)", f"({rows[2].pk},)"}
    for raw in raw_messages:  # leave the queue as we found it
        broker.lrem(queue, 1, raw)


@pytest.mark.parametrize(
    "kwargs",
    [{"channels": ("fax",)}, {"channels": ()}, {"link": "javascript:alert(1)"}, {"link": "//x"}],
)
def test_bad_arguments_are_programming_errors(citizen, kwargs):
    with pytest.raises(ValueError):
        _notify(citizen, **kwargs)


def test_every_channel_is_written_by_one_statement(citizen, django_assert_num_queries):
    """Issue 16: one INSERT for all the channels, no read and no savepoint; a repeat reads
    the rows that are there (and writes nothing)."""
    with transaction.atomic():
        with django_assert_num_queries(1):
            first = _notify(citizen, channels=("inbox", "email", "sms"), dedupe_key="app:7:sent")
        with django_assert_num_queries(2):
            again = _notify(citizen, channels=("inbox", "sms"), dedupe_key="app:7:sent")

    assert [n.pk for n in again] == [first[0].pk, first[2].pk]
    assert all(n.pk and not n._state.adding for n in first)
    assert Notification.objects.filter(recipient=citizen).count() == 3
