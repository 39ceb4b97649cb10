"""Technical listeners only: an inbox row written or deleted forgets its recipient's cached
unread count (:mod:`apps.notifications.badge`). No business logic here."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.notifications.badge import forget_unread_counts
from apps.notifications.models import Notification


def _inbox_row_changed(sender, instance: Notification, **kwargs) -> None:
    if instance.channel == Notification.Channel.INBOX:
        forget_unread_counts([instance.recipient_id])


def connect() -> None:
    post_save.connect(
        _inbox_row_changed, sender=Notification, dispatch_uid="notifications-badge-save"
    )
    post_delete.connect(
        _inbox_row_changed, sender=Notification, dispatch_uid="notifications-badge-delete"
    )
