"""Gateways that fail, for the failure and retry tests (the real ones are configured)."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from apps.notifications.sms import BaseSmsBackend, SmsSendError


class RefusingEmailBackend(BaseEmailBackend):
    """Like an SMTP server refusing the address: the error text echoes the address."""

    def send_messages(self, email_messages):
        address = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"no mailbox {address}".encode())})


class FailingSmsBackend(BaseSmsBackend):
    calls = 0

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        FailingSmsBackend.calls += 1
        raise SmsSendError("gateway busy (code 503)")


class LeakyFailingSmsBackend(BaseSmsBackend):
    """A gateway whose error message contains the phone number it was given."""

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        raise RuntimeError(f"invalid destination {phone}")


class KeyRecordingSmsBackend(BaseSmsBackend):
    """Keeps the idempotency key of every send, like a gateway that deduplicates by it."""

    keys: list[str] = []

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        KeyRecordingSmsBackend.keys.append(idempotency_key)
