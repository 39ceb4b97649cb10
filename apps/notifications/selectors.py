"""Reads of notifications. A person only ever sees their own inbox rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import connections, router
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from apps.accounts.models import User
from apps.common.columns import column
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
    """The person's unread inbox messages: the header's badge (``apps.notifications.badge``).

    One plain statement on the inbox index, routed as the ORM would route it: a page counts
    whenever the kept count is stale, i.e. on the first page after every message (the page
    a citizen opens right after 提交申请), and compiling the ORM's ``COUNT`` cost eight times
    the CPU of running this (issue 16). The same rows as
    ``Notification.objects.filter(recipient=user, channel=INBOX, read_at=None).count()``."""
    database = connections[router.db_for_read(Notification)]
    quote = database.ops.quote_name
    recipient, channel, read_at = (
        quote(column(Notification, name)) for name in ("recipient", "channel", "read_at")
    )
    # Quoted identifiers from the model's metadata only; the values are parameters.
    sql = (
        f"SELECT COUNT(*) FROM {quote(Notification._meta.db_table)} "  # noqa: S608
        f"WHERE {recipient} = %s AND {channel} = %s AND {read_at} IS NULL"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, [user.pk, Notification.Channel.INBOX.value])
        (count,) = cursor.fetchone()
    return count


def pending_notification_id_batches(
    *,
    untried_before: datetime.datetime,
    tried_before: datetime.datetime,
    batch_size: int = 500,
) -> Iterator[list[int]]:
    """Ids of email/SMS rows still pending whose delivery task seems lost.

    A row never tried (``attempts == 0``) untouched since ``untried_before`` was never
    handed over (the broker was down at commit) or its task was lost; a row already tried
    waits for Celery's retry back-off, so it counts as lost only after ``tried_before``.

    Keyset pagination over the partial index on pending rows: each batch is one short query
    and at most ``batch_size`` ids are held in memory.
    """
    lost = Q(attempts=0, updated_at__lt=untried_before) | Q(
        attempts__gt=0, updated_at__lt=tried_before
    )
    last_id = 0
    while True:
        batch = list(
            Notification.objects.filter(lost, status=Notification.Status.PENDING, id__gt=last_id)
            .exclude(channel=Notification.Channel.INBOX)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1]
