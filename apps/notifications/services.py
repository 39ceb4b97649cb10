"""Telling a person something: the one entry point every app uses (DOMAIN A14).

``notify`` writes the rows in the caller's transaction, so a rolled-back change never sends
a message, and hands email/SMS rows to Celery only after that transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.queueing import enqueue_on_commit
from apps.notifications.badge import forget_unread_counts
from apps.notifications.models import Notification
from apps.notifications.tasks import deliver_notification

Channel = Notification.Channel


class NotificationNotFoundError(ApplicationError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__(_("消息不存在或已被删除。"), code="not_found")


def _validate_link(link: str) -> None:
    # Rendered as an href: only site paths and http(s) addresses, never "javascript:".
    if link and not (
        (link.startswith("/") and not link.startswith("//"))
        or link.startswith(("https://", "http://"))
    ):
        raise ValueError("notify(link=...) must be a site path like '/applications/1/'.")


def notify(
    *,
    recipient: User,
    title: str,
    body: str,
    category: str = "system",
    link: str = "",
    channels: Iterable[str] = ("inbox",),
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Create one notification per channel for ``recipient`` (DOMAIN A14).

    Call it inside the transaction of the change it reports: the rows are written in that
    transaction (a savepoint of it) and vanish with it on rollback. Email and SMS rows are
    queued for delivery after commit; inbox rows are delivered at once. A broker that is down
    at commit leaves the row pending for the outbox sweep (``tasks``) and never fails the
    change that was committed.

    ``dedupe_key`` makes the call idempotent: a row that already exists for the same key and
    channel is returned as it is and nothing is queued again. It is unique per channel across
    all recipients, so include the recipient in it when one event tells several people.
    """
    channels = list(dict.fromkeys(channels))  # keep order, drop repeats
    unknown = set(channels) - set(Channel.values)
    if unknown or not channels:
        raise ValueError(f"notify(channels=...) must be some of {Channel.values}: {channels!r}")
    _validate_link(link)

    now = timezone.now()
    notifications: list[Notification] = []
    with transaction.atomic():
        for channel in channels:
            values = {
                "recipient": recipient,
                "category": category,
                "title": title[: Notification._meta.get_field("title").max_length],
                "body": body,
                "link": link,
                "status": Notification.Status.PENDING,
            }
            if channel == Channel.INBOX:
                values.update(status=Notification.Status.SENT, sent_at=now)
            if not dedupe_key:
                notification, created = (
                    Notification.objects.create(channel=channel, **values),
                    True,
                )
            else:
                notification, created = Notification.objects.get_or_create(
                    dedupe_key=dedupe_key, channel=channel, defaults=values
                )
            if created and channel != Channel.INBOX:
                enqueue_on_commit(deliver_notification, notification.pk)
            notifications.append(notification)
    return notifications


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """The person opened one of their inbox messages. Reading twice keeps the first time."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=user, channel=Channel.INBOX)
            .first()
        )
        if notification is None:
            raise NotificationNotFoundError()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread inbox message of ``user`` read; returns how many changed."""
    with transaction.atomic():
        # UPDATE takes the row locks itself; rows read meanwhile are simply left out.
        marked = Notification.objects.filter(
            recipient=user, channel=Channel.INBOX, read_at__isnull=True
        ).update(read_at=timezone.now(), updated_at=timezone.now())
        # An UPDATE sends no post_save: the badge is told here.
        forget_unread_counts([user.pk])
    return marked
