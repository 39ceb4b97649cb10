"""Thin Celery tasks: call one service, retry on database trouble."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.reviews.services.supervision import supervise_review_cases as _supervise


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
    acks_late=True,
)
def supervise_review_cases() -> dict[str, int]:
    """R3, R7: remind before a call-back or rectification is late, escalate when it is.

    Safe to run as often as beat likes and to retry: each step happens once per case and
    threshold."""
    return _supervise().as_dict()
