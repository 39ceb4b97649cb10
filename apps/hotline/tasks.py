"""Thin Celery tasks: call one service, retry on database trouble."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from apps.hotline.messaging import deliver_caller_message, pending_message_batches
from apps.hotline.services.supervision import supervise_tickets as _supervise

REDELIVER_AFTER = datetime.timedelta(minutes=2)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
    acks_late=True,
)
def supervise_tickets() -> dict[str, int]:
    """H9: reminders, escalations and call-back reminders, each once per ticket and step."""
    return _supervise().as_dict()


@shared_task(acks_late=True)
def redeliver_caller_messages(batch_size: int = 500) -> int:
    """Re-queue caller SMS rows whose delivery task was lost (broker down at commit)."""
    queued = 0
    cutoff = timezone.now() - REDELIVER_AFTER
    for batch in pending_message_batches(updated_before=cutoff, batch_size=batch_size):
        for message_id in batch:
            deliver_caller_message.delay(message_id)
        queued += len(batch)
    return queued
