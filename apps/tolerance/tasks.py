"""Thin Celery tasks: call one service, retry on database trouble."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.tolerance.services import sweep_tolerated_materials as _sweep


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def sweep_tolerated_materials() -> dict[str, int]:
    """T2/T3: remind before each supplement deadline, revoke acceptance after a missed one.

    Safe to run as often as beat likes and to retry: every step is idempotent.
    """
    return _sweep().as_dict()
