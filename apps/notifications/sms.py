"""SMS gateways. The portal talks to one through ``settings.SMS_BACKEND``.

A backend raises :class:`SmsSendError` (or any exception) when the gateway refuses a
message; the delivery service records it and Celery retries. Personal data never reaches
a log line (DOMAIN A17): the phone number is masked, the text is not logged at all.

Every send carries an ``idempotency_key``, the same for every attempt at one message. A
worker killed after the gateway took a message but before the row was marked sent leaves
the row pending, and the next attempt sends it again: a gateway backend passes the key as
the request's client id / dedupe token, so the gateway drops the repeat and the person
gets the message once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from apps.common.pii import mask_phone

logger = logging.getLogger(__name__)


class SmsSendError(Exception):
    """The gateway refused the message. The message text must not contain personal data."""


class BaseSmsBackend:
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Development backend: writes one masked line per message to the log."""

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        logger.info(
            "SMS to %s (%d characters) handed to the log backend", mask_phone(phone), len(text)
        )


class LocmemSmsBackend(BaseSmsBackend):
    """Test backend: keeps sent messages in ``LocmemSmsBackend.outbox``, like ``mail.outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        LocmemSmsBackend.outbox.append((phone, text))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
