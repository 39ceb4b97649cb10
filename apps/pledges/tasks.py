"""Thin Celery tasks of the pledge route (DOMAIN P3, P3a, P4). Idempotent: every reminder
and escalation carries a unique mark row, rows are claimed with SKIP LOCKED, so a repeated,
retried or concurrent run sends nothing twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.pledges import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def sweep_pledge_verifications() -> dict[str, int]:
    return services.supervise_pledge_verifications().as_dict()
