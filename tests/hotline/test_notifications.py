"""Telling people: links resolve for their recipients (built with reverse()), and a broker
outage after commit never turns a committed change into an error (issue #7's lessons)."""

from __future__ import annotations

import pytest
from django.test import Client
from kombu.exceptions import OperationalError

from apps.hotline import messaging, services
from apps.hotline.models import CallerMessage, Ticket
from apps.notifications.models import Notification
from tests.hotline.factories import call
from tests.notifications.backends import KeyRecordingSmsBackend

pytestmark = pytest.mark.django_db


def test_every_link_a_hotline_notification_carries_opens_for_its_recipient(
    operator, category, handler, citizen
):
    ticket = services.ticket_take_call(actor=operator, data=call(category))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=operator)
    services.ticket_sign(ticket_id=ticket.pk, actor=handler)
    services.ticket_reply(ticket_id=ticket.pk, actor=handler, text="已处理")
    web = services.ticket_submit_online(
        actor=citizen,
        data=call(category, caller_phone="", address="别处", ticket_type="help"),
    )
    rows = Notification.objects.filter(category="hotline", channel="inbox")
    assert rows.filter(recipient=handler).exists() and rows.filter(recipient=operator).exists()
    assert rows.filter(recipient=citizen).exists() and web.citizen == citizen
    for notification in rows.select_related("recipient"):
        client = Client()
        client.force_login(notification.recipient)
        assert client.get(notification.link).status_code == 200, notification.link


def test_broker_down_after_commit_leaves_the_sms_pending_and_the_change_done(
    operator, category, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(messaging.deliver_caller_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_take_call(actor=operator, data=call(category))
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert CallerMessage.objects.get(ticket=ticket).status == CallerMessage.Status.PENDING


def test_a_caller_sms_sent_twice_carries_one_key(operator, category, settings):
    """DOMAIN A14 (issue 16): every attempt at one caller SMS carries the same idempotency
    key and no other message carries it, so the gateway drops the repeat a killed worker
    would send."""
    settings.SMS_BACKEND = "tests.notifications.backends.KeyRecordingSmsBackend"
    KeyRecordingSmsBackend.keys = []
    first = CallerMessage.objects.get(
        ticket=services.ticket_take_call(actor=operator, data=call(category))
    )
    second = CallerMessage.objects.get(
        ticket=services.ticket_take_call(
            actor=operator, data=call(category, caller_phone="13900000002", address="别处")
        )
    )
    assert messaging.caller_message_deliver(message_id=first.pk) == "sent"
    # What a killed worker leaves behind: the row still pending after the gateway took it.
    CallerMessage.objects.filter(pk=first.pk).update(
        status=CallerMessage.Status.PENDING, sent_at=None
    )
    messaging.caller_message_deliver(message_id=first.pk)
    messaging.caller_message_deliver(message_id=second.pk)

    assert KeyRecordingSmsBackend.keys == [f"caller-message-{first.pk}"] * 2 + [
        f"caller-message-{second.pk}"
    ]
    KeyRecordingSmsBackend.keys = []
