"""Telling a person something: the one entry point every app uses (DOMAIN A14).

``notify`` writes the rows in the caller's transaction, so a rolled-back change never sends
a message, and hands email/SMS rows to Celery only after that transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.queueing import enqueue_on_commit
from apps.notifications.badge import forget_unread_counts
from apps.notifications.models import Notification
from apps.notifications.rows import COLUMNS, insert_new, row_values
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
    recipient: User | None = None,
    recipient_id: int | None = None,
    title: str,
    body: str,
    category: str = "system",
    link: str = "",
    channels: Iterable[str] = ("inbox",),
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Create one notification per channel for ``recipient`` (DOMAIN A14).

    Call it inside the transaction of the change it reports: the rows are written in that
    transaction and vanish with it on rollback. Email and SMS rows are queued for delivery
    after commit; inbox rows are delivered at once. A broker that is down at commit leaves
    the row pending for the outbox sweep (``tasks``) and never fails the change that was
    committed.

    ``dedupe_key`` makes the call idempotent: a row that already exists for the same key and
    channel is returned as it is and nothing is queued again. It is unique per channel across
    all recipients, so include the recipient in it when one event tells several people.

    Every channel's row is written by one ``INSERT … ON CONFLICT DO NOTHING`` (issue 16: a
    read, two savepoints and an insert per channel before); the rows that were there already
    are read only when there are some.

    The recipient is ``recipient``, or ``recipient_id`` from a caller that has the id only (a
    service that did not read the user's row: issue 16); the rows then carry the id.
    """
    if (recipient is None) == (recipient_id is None):
        raise ValueError("notify() takes one of recipient= and recipient_id=.")
    recipient_pk: int = recipient.pk if recipient is not None else recipient_id  # type: ignore[assignment]
    channels = list(dict.fromkeys(channels))  # keep order, drop repeats
    unknown = set(channels) - set(Channel.values)
    if unknown or not channels:
        raise ValueError(f"notify(channels=...) must be some of {Channel.values}: {channels!r}")
    _validate_link(link)

    now = timezone.now()
    values = [
        row_values(
            recipient_id=recipient_pk,
            channel=channel,
            category=category,
            title=title,
            body=body,
            link=link,
            dedupe_key=dedupe_key or "",
            now=now,
        )
        for channel in channels
    ]
    # No savepoint: one statement, which a conflict does not fail; an error still marks the
    # caller's transaction for rollback.
    with transaction.atomic(savepoint=False):
        created = {row.channel: row.id for row in insert_new(values)}
        existing = (
            {
                n.channel: n
                for n in Notification.objects.filter(
                    dedupe_key=dedupe_key, channel__in=[c for c in channels if c not in created]
                )
            }
            if len(created) < len(channels)
            else {}
        )
    if Channel.INBOX in created:  # a raw INSERT sends no post_save: tell the badge here
        forget_unread_counts([recipient_pk])
    notifications: list[Notification] = []
    for channel, row in zip(channels, values, strict=True):
        if channel not in created:
            notifications.append(existing[channel])
            continue
        notifications.append(_written(created[channel], recipient, row))
        if channel != Channel.INBOX:
            enqueue_on_commit(deliver_notification, created[channel])
    return notifications


def _written(pk: int, recipient: User | None, row: tuple) -> Notification:
    """The model instance of a row :func:`insert_new` wrote, without reading it back."""
    fields = dict(zip(COLUMNS, row, strict=True))
    if recipient is not None:
        del fields["recipient_id"]
        fields["recipient"] = recipient
    notification = Notification(pk=pk, **fields)
    notification._state.adding = False
    notification._state.db = DEFAULT_DB_ALIAS
    return notification


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
