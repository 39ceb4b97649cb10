"""SMS and e-mail gateway doubles for the fault tests, shared by every process (issue 16).

A worker the test starts as a subprocess loads them by name (``SMS_BACKEND``,
``EMAIL_BACKEND``). Every request the gateway receives is appended to a Redis list
(``FAULT_GATEWAY_LOG`` on ``FAULT_GATEWAY_REDIS_URL``) with the idempotency key it carries
(the SMS key, the e-mail's Message-ID), before the gateway answers: a worker killed while
waiting for the answer has already handed the message over, as with a real gateway.

``FAULT_GATEWAY_LATENCY`` (seconds) is each answer's delay; the request numbered
``FAULT_GATEWAY_STALL_AT`` (1-based, across processes) is answered only after
``STALL_SECONDS`` — the window in which the test kills the worker.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

import redis
from django.core.mail.backends.base import BaseEmailBackend

from apps.notifications.sms import BaseSmsBackend

STALL_SECONDS = 60.0


@dataclass(frozen=True)
class GatewayRequest:
    channel: str
    key: str
    to: str


def _store(url: str | None = None) -> redis.Redis:
    return redis.Redis.from_url(url or os.environ["FAULT_GATEWAY_REDIS_URL"])


def _receive(channel: str, key: str, to: str) -> None:
    number = _store().rpush(
        os.environ["FAULT_GATEWAY_LOG"], json.dumps({"channel": channel, "key": key, "to": to})
    )
    if number == int(os.environ.get("FAULT_GATEWAY_STALL_AT") or 0):
        time.sleep(STALL_SECONDS)
    else:
        time.sleep(float(os.environ.get("FAULT_GATEWAY_LATENCY") or 0))


class RecordingSmsGateway(BaseSmsBackend):
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        _receive("sms", idempotency_key, phone)


class RecordingEmailGateway(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            key = message.extra_headers.get("Message-ID", "").strip("<>").split("@")[0]
            _receive("email", key, ",".join(message.to))
        return len(email_messages)


def gateway_requests(url: str, log: str) -> list[GatewayRequest]:
    """Every request the gateway received, in order."""
    return [GatewayRequest(**json.loads(raw)) for raw in _store(url).lrange(log, 0, -1)]


def gateway_env(url: str, log: str, *, latency: float = 0.0, stall_at: int = 0) -> dict[str, str]:
    """The environment that makes a worker send through the doubles."""
    return {
        "SMS_BACKEND": f"{__name__}.RecordingSmsGateway",
        "EMAIL_BACKEND": f"{__name__}.RecordingEmailGateway",
        "FAULT_GATEWAY_REDIS_URL": url,
        "FAULT_GATEWAY_LOG": log,
        "FAULT_GATEWAY_LATENCY": str(latency),
        "FAULT_GATEWAY_STALL_AT": str(stall_at),
    }
