"""Delivering email/SMS rows: idempotent, retried, failed for good, swept (DOMAIN A14, A17)."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
import redis
import time_machine
from django.conf import settings
from django.utils import timezone

from apps.notifications import delivery
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.tasks import deliver_notification, redeliver_pending_notifications
from govservice.celery import app as celery_app
from tests.accounts.factories import UserFactory
from tests.notifications.backends import FailingSmsBackend

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def person(db):
    return UserFactory(full_name="李大爷", email="li@example.com", phone=PHONE)


def _pending(person, channel):
    [notification] = notify(
        recipient=person,
        title="营业执照即将到期",
        body="您的营业执照将于30日后到期，请及时办理延续。",
        link="/licences/7/",
        channels=(channel,),
    )
    return notification


def test_email_is_sent_once_even_if_the_task_runs_twice(person, mailoutbox):
    notification = _pending(person, "email")

    assert deliver_notification.apply(args=[notification.pk]).get() == "sent"
    assert deliver_notification.apply(args=[notification.pk]).get() == "skipped"

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["li@example.com"]
    assert "营业执照即将到期" in message.subject
    assert "http://127.0.0.1:8000/licences/7/" in message.body
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_sms_is_sent_to_the_recipients_phone(person, sms_outbox):
    notification = _pending(person, "sms")

    deliver_notification.apply(args=[notification.pk])

    assert len(sms_outbox) == 1
    phone, text = sms_outbox[0]
    assert phone == PHONE
    assert text.startswith("【市政务服务网】营业执照即将到期：")


def test_failed_send_stays_pending_for_retry(person, settings):
    """One failure: attempts counted, error recorded, row still pending."""
    settings.SMS_BACKEND = "tests.notifications.backends.FailingSmsBackend"
    notification = _pending(person, "sms")

    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert outcome is delivery.Outcome.RETRY
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert notification.last_error == "SmsSendError: gateway busy (code 503)"
    assert notification.sent_at is None


def test_task_retries_with_backoff_then_fails_for_good(person, settings):
    """Celery retries up to MAX_ATTEMPTS in all; after the last one the row is failed."""
    settings.SMS_BACKEND = "tests.notifications.backends.FailingSmsBackend"
    FailingSmsBackend.calls = 0
    notification = _pending(person, "sms")

    # Eager apply() runs Celery's retries in place, without the back-off wait.
    result = deliver_notification.apply(args=[notification.pk])

    assert result.successful()
    assert result.get() == "failed"
    assert FailingSmsBackend.calls == delivery.MAX_ATTEMPTS
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == delivery.MAX_ATTEMPTS
    # The task's own policy, as the worker applies it.
    assert deliver_notification.max_retries == delivery.MAX_ATTEMPTS - 1
    assert deliver_notification.retry_backoff
    # A failed row is not sent again.
    assert deliver_notification.apply(args=[notification.pk]).get() == "skipped"
    assert FailingSmsBackend.calls == delivery.MAX_ATTEMPTS


def test_recovered_gateway_delivers_on_a_later_attempt(person, settings, sms_outbox):
    settings.SMS_BACKEND = "tests.notifications.backends.FailingSmsBackend"
    notification = _pending(person, "sms")
    delivery.notification_deliver(notification_id=notification.pk)

    settings.SMS_BACKEND = "apps.notifications.sms.LocmemSmsBackend"
    outcome = delivery.notification_deliver(notification_id=notification.pk)

    assert outcome is delivery.Outcome.SENT
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        Notification.Status.SENT,
        2,
        "",
    )
    assert len(sms_outbox) == 1


def test_missing_address_fails_at_once(db, mailoutbox):
    person = UserFactory(email="")
    notification = _pending(person, "email")

    assert deliver_notification.apply(args=[notification.pk]).get() == "failed"

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert "no email address" in notification.last_error
    assert mailoutbox == []


def test_last_error_never_holds_the_address(person, settings):
    """DOMAIN A17: SMTP errors echo the address; only the error type is kept."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingEmailBackend"
    notification = _pending(person, "email")

    delivery.notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.last_error == "SMTPRecipientsRefused"


def test_log_backend_masks_the_phone(person, caplog):
    """DOMAIN A17: the default SMS backend logs the masked number and never the text."""
    notification = _pending(person, "sms")

    with caplog.at_level(logging.DEBUG):
        deliver_notification.apply(args=[notification.pk])

    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text
    assert "营业执照" not in caplog.text


def test_failure_log_and_error_have_no_phone(person, settings, caplog):
    settings.SMS_BACKEND = "tests.notifications.backends.LeakyFailingSmsBackend"
    notification = _pending(person, "sms")

    with caplog.at_level(logging.DEBUG):
        delivery.notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.last_error == "RuntimeError"
    assert f"Notification {notification.pk} (sms) attempt 1 failed" in caplog.text
    assert PHONE not in caplog.text


def test_inbox_rows_are_never_handed_to_a_worker(person):
    [inbox] = notify(recipient=person, title="t", body="b")

    assert delivery.notification_deliver(notification_id=inbox.pk) is delivery.Outcome.SKIPPED


def test_sweep_requeues_only_stale_pending_email_and_sms(person):
    """Rows whose task was lost are queued again; fresh and finished rows are left alone."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = celery_app.conf.task_default_queue
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    with time_machine.travel(long_ago, tick=False):
        stale_email = _pending(person, "email")
        stale_sms = _pending(person, "sms")
        already_sent = _pending(person, "email")
        notify(recipient=person, title="站内消息", body="", channels=("inbox",))
    Notification.objects.filter(pk=already_sent.pk).update(status="sent", sent_at=long_ago)
    _pending(person, "email")  # fresh: its own task is still on its way
    before = broker.llen(queue)

    queued = redeliver_pending_notifications.apply(kwargs={"batch_size": 1}).get()

    assert queued == 2
    assert broker.llen(queue) == before + 2
    raw_messages = broker.lrange(queue, 0, 1)
    argsreprs = {json.loads(raw)["headers"]["argsrepr"] for raw in raw_messages}
    assert argsreprs == {f"({stale_email.pk},)", f"({stale_sms.pk},)"}
    for raw in raw_messages:
        broker.lrem(queue, 1, raw)


def test_sweep_reads_pending_rows_in_batches(person, django_assert_max_num_queries):
    from apps.notifications.selectors import pending_notification_id_batches

    long_ago = timezone.now() - datetime.timedelta(hours=1)
    with time_machine.travel(long_ago, tick=False):
        for _ in range(5):
            _pending(person, "email")

    now = timezone.now()
    batches = list(
        pending_notification_id_batches(untried_before=now, tried_before=now, batch_size=2)
    )

    assert [len(b) for b in batches] == [2, 2, 1]
    with django_assert_max_num_queries(4):  # 3 batches + the empty one that ends it
        list(pending_notification_id_batches(untried_before=now, tried_before=now, batch_size=2))
