"""Every attempt at one message carries the same key, and no other message carries it
(DOMAIN A14, issue 16): what lets a gateway drop the repeat of a message a killed worker
had already handed over (tests/ops/test_worker_kill.py kills one)."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.notifications import delivery
from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests.accounts.factories import UserFactory
from tests.notifications.backends import KeyRecordingSmsBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_keys(settings):
    settings.SMS_BACKEND = "tests.notifications.backends.KeyRecordingSmsBackend"
    KeyRecordingSmsBackend.keys = []
    yield KeyRecordingSmsBackend.keys
    KeyRecordingSmsBackend.keys = []


def _again(notification: Notification) -> None:
    """What a killed worker leaves behind: the row still pending, as before the send."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, sent_at=None
    )


def test_an_sms_sent_twice_carries_one_key(sms_keys, settings):
    person = UserFactory(phone="13812345678")
    first, second = (
        notify(recipient=person, title=f"提醒{i}", body="", channels=("sms",))[0] for i in range(2)
    )
    delivery.notification_deliver(notification_id=first.pk)
    _again(first)
    delivery.notification_deliver(notification_id=first.pk)
    delivery.notification_deliver(notification_id=second.pk)

    assert sms_keys == [f"notification-{first.pk}"] * 2 + [f"notification-{second.pk}"]


def test_an_email_sent_twice_carries_one_message_id(settings):
    settings.SITE_URL = "https://zwfw.example.gov.cn"
    person = UserFactory(email="li@example.com")
    [email] = notify(recipient=person, title="您的申请已办结", body="", channels=("email",))
    delivery.notification_deliver(notification_id=email.pk)
    _again(email)
    delivery.notification_deliver(notification_id=email.pk)

    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert ids == [f"<notification-{email.pk}@zwfw.example.gov.cn>"] * 2
    assert "Message-ID: <notification-" in mail.outbox[0].message().as_string()
