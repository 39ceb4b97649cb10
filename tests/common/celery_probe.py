"""A task for the redelivery test only; the worker under test loads it with ``--include``."""

from __future__ import annotations

import time

import redis
from celery import shared_task
from django.conf import settings


@shared_task(acks_late=True)
def count_then_hold(counter_key: str, hold_seconds: float) -> int:
    """Count this run; the first run holds long enough to be killed mid-run."""
    runs = redis.Redis.from_url(settings.CELERY_BROKER_URL).incr(counter_key)
    if runs == 1:
        time.sleep(hold_seconds)
    return runs
