"""Delivering one email/SMS notification: the state change the Celery task makes.

Kept apart from ``services.py`` so that ``tasks`` can call it while ``services`` queues
``tasks``, without an import cycle.
"""

from __future__ import annotations

import enum
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from apps.common.site import public_base_url
from apps.notifications.models import Notification
from apps.notifications.sms import SmsSendError, get_sms_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed, still pending: the task should retry later
    FAILED = "failed"  # failed for good
    SKIPPED = "skipped"  # already sent/failed, gone, or another worker holds it


class NoAddressError(Exception):
    """The person has no email address / phone number: retrying cannot help."""


def _safe_error(exc: Exception) -> str:
    # Exception texts from SMTP servers and gateways may echo the address or number; only
    # our own exceptions carry text we know to be free of personal data (DOMAIN A17).
    if isinstance(exc, SmsSendError | NoAddressError):
        return f"{type(exc).__name__}: {exc}"[:300]
    return type(exc).__name__[:300]


def _absolute(link: str) -> str:
    return link if link.startswith("http") else f"{public_base_url()}{link}"


def idempotency_key(notification: Notification) -> str:
    """The same for every attempt at one notification, and only for it."""
    return f"notification-{notification.pk}"


def _message_id(notification: Notification) -> str:
    # Fixed per notification (not make_msgid's random one): a repeat after a crash carries
    # the Message-ID of the first attempt, which mail servers and clients treat as one mail.
    host = urlsplit(public_base_url()).hostname or "localhost"
    return f"<{idempotency_key(notification)}@{host}>"


def _send(notification: Notification) -> None:
    recipient = notification.recipient
    if notification.channel == Notification.Channel.EMAIL:
        if not recipient.email:
            raise NoAddressError("recipient has no email address")
        message = notification.body
        if notification.link:
            message += f"\n\n查看详情：{_absolute(notification.link)}"
        EmailMessage(
            subject=f"【{settings.PORTAL_NAME}】{notification.title}",
            body=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Message-ID": _message_id(notification)},
        ).send(fail_silently=False)
    elif notification.channel == Notification.Channel.SMS:
        if not recipient.phone:
            raise NoAddressError("recipient has no phone number")
        text = f"【{settings.PORTAL_NAME}】{notification.title}"
        if notification.body:
            text += f"：{notification.body}"
        get_sms_backend().send(recipient.phone, text, idempotency_key=idempotency_key(notification))
    else:  # inbox rows are delivered when created and never reach here
        raise ValueError(f"channel {notification.channel!r} is not delivered by a worker")


def notification_deliver(*, notification_id: int, max_attempts: int = MAX_ATTEMPTS) -> Outcome:
    """Send one pending email/SMS notification and record the result (DOMAIN A14).

    Idempotent: the row is locked with SKIP LOCKED, so two workers never send it together,
    and a row that is no longer pending is left alone. The send happens while the row is
    locked, so "sent" is recorded in the same transaction that follows a successful send.
    A worker killed between the gateway's acceptance and that commit leaves the row pending
    (the transaction dies with the connection); the next attempt sends it with the same
    idempotency key (SMS) or Message-ID (email), which the gateway uses to drop the repeat.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != Notification.Status.PENDING:
            return Outcome.SKIPPED
        notification.attempts += 1
        try:
            _send(notification)
        except Exception as exc:
            final = isinstance(exc, NoAddressError) or notification.attempts >= max_attempts
            notification.last_error = _safe_error(exc)
            if final:
                notification.status = Notification.Status.FAILED
            outcome = Outcome.FAILED if final else Outcome.RETRY
            logger.warning(
                "Notification %s (%s) attempt %s failed: %s",
                notification.pk,
                notification.channel,
                notification.attempts,
                notification.last_error,
            )
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            outcome = Outcome.SENT
        notification.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"]
        )
    return outcome


def notifications_mark_requeued(*, notification_ids: list[int]) -> int:
    """The sweep handed these rows to the broker again: stamp them, so the next sweep waits
    a full grace period before queueing the same row once more."""
    return Notification.objects.filter(
        id__in=notification_ids, status=Notification.Status.PENDING
    ).update(updated_at=timezone.now())
