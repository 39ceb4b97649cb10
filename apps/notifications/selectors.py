"""Reads of notifications. A person only ever sees their own inbox rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from apps.accounts.models import User
from apps.notifications.models import Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The person's inbox: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX).order_by(
        unread.desc(), "-created_at", "-id"
    )


def notification_get(*, user: User, notification_id: int) -> Notification | None:
    return notification_list(user=user).filter(pk=notification_id).first()


def inbox_unread_count(*, user: User) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Notification.Channel.INBOX, read_at__isnull=True
    ).count()


def pending_notification_id_batches(
    *, updated_before: datetime.datetime, batch_size: int = 500
) -> Iterator[list[int]]:
    """Ids of email/SMS rows still pending and untouched since ``updated_before``.

    Keyset pagination over the partial index on pending rows: each batch is one short query
    and at most ``batch_size`` ids are held in memory.
    """
    last_id = 0
    while True:
        batch = list(
            Notification.objects.filter(
                status=Notification.Status.PENDING,
                updated_at__lt=updated_before,
                id__gt=last_id,
            )
            .exclude(channel=Notification.Channel.INBOX)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1]
