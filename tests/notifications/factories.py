from __future__ import annotations

import factory
from django.utils import timezone

from apps.notifications.models import Notification
from tests.accounts.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox message, delivered (as ``notify`` makes them)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    channel = Notification.Channel.INBOX
    category = "application"
    title = factory.Sequence(lambda n: f"您的办件第{n}号已受理")
    body = "您提交的申请已受理，请留意后续进度。"
    link = "/applications/1/"
    status = Notification.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
