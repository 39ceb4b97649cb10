"""Many messages in one statement: the fan-out path for mass pushes (DOMAIN A14, PO3).

:func:`notify_bulk` is :func:`apps.notifications.services.notify` for thousands of
recipients at once: one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` per chunk instead of
one ``get_or_create`` per row. The rules are the same: rows are written in the caller's
transaction, a ``dedupe_key`` that already exists for the channel is skipped (so a re-run
creates nothing), inbox rows are delivered at once, and email/SMS rows are handed to the
workers only after the transaction commits — in batches, by a named callback, so a broker
outage after commit is logged and left to the redelivery sweep, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailableError

from apps.notifications.badge import forget_unread_counts
from apps.notifications.models import Notification
from apps.notifications.rows import Created, insert_new, row_values
from apps.notifications.services import _validate_link
from apps.notifications.tasks import deliver_notification_batch

logger = logging.getLogger(__name__)

Channel = Notification.Channel
INSERT_CHUNK = 500  # rows per INSERT: 11 parameters each, well under any driver's limit
DELIVERY_CHUNK = 100  # email/SMS rows per worker task


@dataclass(frozen=True)
class BulkMessage:
    """One message to one person over one channel; ``dedupe_key`` is required here."""

    recipient_id: int
    channel: str
    title: str
    body: str
    dedupe_key: str
    category: str = "system"
    link: str = ""


def _check(message: BulkMessage) -> None:
    if message.channel not in Channel.values:
        raise ValueError(f"notify_bulk: unknown channel {message.channel!r}")
    if not message.dedupe_key:
        raise ValueError("notify_bulk: every message needs a dedupe_key (re-runs must be no-ops)")
    _validate_link(message.link)


def _row(message: BulkMessage, now: datetime) -> tuple:
    return row_values(
        recipient_id=message.recipient_id,
        channel=message.channel,
        category=message.category,
        title=message.title,
        body=message.body,
        link=message.link,
        dedupe_key=message.dedupe_key,
        now=now,
    )


def notify_bulk(messages: Iterable[BulkMessage]) -> list[Created]:
    """Insert the messages that do not exist yet; return the rows created.

    Call it inside the transaction of the change it reports. Email and SMS rows created
    here are queued for delivery after commit, ``DELIVERY_CHUNK`` ids per worker task.
    """
    messages = list(messages)
    for message in messages:
        _check(message)
    now = timezone.now()
    created: list[Created] = []
    with transaction.atomic():
        for start in range(0, len(messages), INSERT_CHUNK):
            chunk = messages[start : start + INSERT_CHUNK]
            inserted = insert_new([_row(m, now) for m in chunk])
            created.extend(inserted)
            # Raw INSERTs send no post_save: the badges of the people given an inbox row.
            new_inbox = {row.dedupe_key for row in inserted if row.channel == Channel.INBOX}
            forget_unread_counts(
                m.recipient_id
                for m in chunk
                if m.channel == Channel.INBOX and m.dedupe_key in new_inbox
            )
        to_deliver = [row.id for row in created if row.channel != Channel.INBOX]
        if to_deliver:
            _queue_after_commit(to_deliver)
    return created


def _queue_after_commit(notification_ids: list[int]) -> None:
    def queue_notification_deliveries() -> None:
        # Named (not a partial), as apps.common.queueing explains. A broker that is down
        # leaves the rows pending; the redelivery sweep sends them once it is back.
        try:
            for start in range(0, len(notification_ids), DELIVERY_CHUNK):
                deliver_notification_batch.delay(notification_ids[start : start + DELIVERY_CHUNK])
        except BrokerUnavailableError as exc:
            logger.warning(
                "Broker unavailable, %d notifications left for the sweep: %s",
                len(notification_ids),
                exc,
            )

    transaction.on_commit(queue_notification_deliveries, robust=True)
