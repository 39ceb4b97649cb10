"""notify_bulk (issue #14): the fan-out path — one INSERT per chunk, re-runs create nothing,
delivery queued after commit by a named callback that survives a broker outage (A14)."""

from __future__ import annotations

import json

import pytest
import redis
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from apps.notifications.bulk import BulkMessage, notify_bulk
from apps.notifications.models import Notification
from apps.notifications.tasks import deliver_notification_batch
from govservice.celery import app as celery_app
from tests.accounts.factories import UserFactory
from tests.notifications.callbacks import queued_work

pytestmark = pytest.mark.django_db


def _messages(users, channels=("inbox", "sms")):
    return [
        BulkMessage(
            recipient_id=u.pk,
            channel=c,
            title="政策推送",
            body="您可能符合条件。",
            dedupe_key=f"test:{u.pk}",
            category="policy",
            link="/policies/mine/",
        )
        for u in users
        for c in channels
    ]


def test_rows_are_written_once_and_a_re_run_creates_nothing(django_capture_on_commit_callbacks):
    users = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks() as callbacks:
        created = notify_bulk(_messages(users))
    assert len(created) == 6
    assert Notification.objects.filter(channel="inbox", status="sent").count() == 3
    assert Notification.objects.filter(channel="sms", status="pending").count() == 3
    assert [c.__name__ for c in queued_work(callbacks)] == ["queue_notification_deliveries"]
    with django_capture_on_commit_callbacks() as again:
        assert notify_bulk(_messages(users)) == []
    assert again == [] and Notification.objects.count() == 6


def test_inbox_only_needs_no_worker(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify_bulk(_messages(UserFactory.create_batch(2), channels=("inbox",)))
    assert queued_work(callbacks) == []


def test_rows_vanish_with_a_rolled_back_transaction():
    users = UserFactory.create_batch(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_bulk(_messages(users))
        raise RuntimeError
    assert not Notification.objects.exists()


def test_messages_need_a_dedupe_key_and_a_known_channel_and_a_site_link():
    user = UserFactory()
    with pytest.raises(ValueError, match="dedupe_key"):
        notify_bulk(
            [BulkMessage(recipient_id=user.pk, channel="inbox", title="t", body="", dedupe_key="")]
        )
    with pytest.raises(ValueError, match="channel"):
        notify_bulk(
            [BulkMessage(recipient_id=user.pk, channel="fax", title="t", body="", dedupe_key="k")]
        )
    with pytest.raises(ValueError):
        notify_bulk(
            [
                BulkMessage(
                    recipient_id=user.pk,
                    channel="inbox",
                    title="t",
                    body="",
                    dedupe_key="k",
                    link="javascript:x",
                )
            ]
        )


def test_delivery_batches_are_queued_on_the_real_broker_after_commit(
    django_capture_on_commit_callbacks,
):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = celery_app.conf.task_default_queue
    before = broker.llen(queue)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_bulk(_messages(UserFactory.create_batch(2)))
        assert broker.llen(queue) == before  # nothing leaves before the commit
    assert broker.llen(queue) == before + 1  # two SMS rows, one batch task
    raw = broker.lrange(queue, 0, 0)[0]
    headers = json.loads(raw)["headers"]
    assert headers["task"] == "apps.notifications.tasks.deliver_notification_batch"
    sms_ids = sorted(r.id for r in created if r.channel == "sms")
    assert headers["argsrepr"] == f"({sms_ids},)"
    broker.lrem(queue, 1, raw)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_after_commit_is_logged_not_raised(monkeypatch, caplog):
    """The change committed, so the caller must not see an error (the fault issue #7 names);
    the rows stay pending for the redelivery sweep."""

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_notification_batch, "delay", broker_down)
    with transaction.atomic():
        notify_bulk(_messages(UserFactory.create_batch(1)))
    assert Notification.objects.filter(channel="sms", status="pending").count() == 1
    assert "left for the sweep" in caplog.text
