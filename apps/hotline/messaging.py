"""SMS to callers known only by their number, through the notifications SMS gateway.

Kept apart from the services (which queue it) and ``tasks`` (which sweep it) so neither
imports the other. The row is the outbox: a lost task is found by the redelivery sweep,
and a second run of the task is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.hotline.models import CallerMessage
from apps.notifications.sms import SmsSendError, get_sms_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def idempotency_key(message: CallerMessage) -> str:
    """The same for every attempt at one caller SMS, and only for it (like
    ``notification-<id>``): the gateway drops the repeat a killed worker would send."""
    return f"caller-message-{message.pk}"


class CallerMessageRetryError(Exception):
    """Raised to make Celery retry a send that may succeed later."""


def caller_message_deliver(*, message_id: int) -> str:
    """Send one pending caller SMS; ``sent``, ``retry``, ``failed`` or ``skipped``."""
    with transaction.atomic():
        message = (
            CallerMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=CallerMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return "skipped"
        message.attempts += 1
        try:
            get_sms_backend().send(
                message.phone, message.text, idempotency_key=idempotency_key(message)
            )
        except Exception as exc:
            # Only our own exception's text is known to be free of the number (A17).
            message.last_error = (
                f"SmsSendError: {exc}"[:200]
                if isinstance(exc, SmsSendError)
                else type(exc).__name__
            )
            final = message.attempts >= MAX_ATTEMPTS
            if final:
                message.status = CallerMessage.Status.FAILED
            outcome = "failed" if final else "retry"
            logger.warning("Caller message %s attempt %s failed", message.pk, message.attempts)
        else:
            message.status = CallerMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            outcome = "sent"
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"])
    return outcome


@shared_task(
    autoretry_for=(CallerMessageRetryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
    acks_late=True,
)
def deliver_caller_message(message_id: int) -> str:
    outcome = caller_message_deliver(message_id=message_id)
    if outcome == "retry":
        raise CallerMessageRetryError(f"caller message {message_id} will be retried")
    return outcome


def pending_message_batches(*, updated_before, batch_size: int) -> Iterator[list[int]]:
    """Ids of pending messages untouched since ``updated_before``, in keyset batches."""
    last = 0
    while True:
        ids = list(
            CallerMessage.objects.filter(
                status=CallerMessage.Status.PENDING, updated_at__lt=updated_before, pk__gt=last
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]
