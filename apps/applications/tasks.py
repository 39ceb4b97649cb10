"""Thin Celery tasks: call one service, retry on database trouble."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from apps.applications.services.supervision import supervise_applications as _supervise
from apps.applications.services.supervision import supervision_figures_refresh


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def supervise_applications() -> dict[str, int]:
    """A4a, A14, A15: deem overdue intakes accepted and send each due reminder once.

    Safe to run as often as beat likes and to retry: every step is idempotent. Then the
    day's per-department figures are counted once for the 电子监察 page and the dashboard.
    """
    report = _supervise(batch_size=settings.SUPERVISION_BATCH_SIZE)
    supervision_figures_refresh(today=timezone.localdate())
    return report.as_dict()
