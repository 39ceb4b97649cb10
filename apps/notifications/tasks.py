"""Thin Celery tasks: take ids, call one service, retry."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.notifications import delivery, selectors

# A row already tried and untouched for this long has lost its retry (worker killed): longer
# than the longest retry back-off below, so a row waiting for its retry is left alone.
REDELIVER_TRIED_AFTER = datetime.timedelta(minutes=15)


class DeliveryRetryError(Exception):
    """Raised to make Celery retry a delivery that failed but may succeed later."""


@shared_task(
    autoretry_for=(DeliveryRetryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=delivery.MAX_ATTEMPTS - 1,
)
def deliver_notification(notification_id: int) -> str:
    outcome = delivery.notification_deliver(notification_id=notification_id)
    if outcome is delivery.Outcome.RETRY:
        raise DeliveryRetryError(f"notification {notification_id} will be retried")
    return outcome.value


@shared_task
def redeliver_pending_notifications(batch_size: int = 500) -> int:
    """Re-queue email/SMS rows whose delivery task was lost; returns how many were queued.

    Runs every minute. A row never tried is re-queued once it is older than a short grace
    period (``NOTIFICATION_REQUEUE_GRACE_SECONDS``), so what a broker outage left pending
    goes out a minute or two after the broker is back. Each re-queued row is stamped, and
    delivery is idempotent, so a row queued twice is sent once.
    """
    queued = 0
    now = timezone.now()
    grace = datetime.timedelta(seconds=settings.NOTIFICATION_REQUEUE_GRACE_SECONDS)
    for batch in selectors.pending_notification_id_batches(
        untried_before=now - grace, tried_before=now - REDELIVER_TRIED_AFTER, batch_size=batch_size
    ):
        for notification_id in batch:
            deliver_notification.delay(notification_id)
        delivery.notifications_mark_requeued(notification_ids=batch)
        queued += len(batch)
    return queued


@shared_task(acks_late=True)
def deliver_notification_batch(notification_ids: list[int]) -> dict[str, int]:
    """Deliver a batch of email/SMS rows queued by ``notify_bulk``; one that failed but may
    succeed later is handed to :func:`deliver_notification`, which retries with back-off."""
    counts: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = delivery.notification_deliver(notification_id=notification_id)
        if outcome is delivery.Outcome.RETRY:
            deliver_notification.apply_async((notification_id,), countdown=30)
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    return counts
