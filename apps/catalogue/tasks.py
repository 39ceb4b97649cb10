"""Periodic catalogue work (schedule: settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from apps.catalogue.services.demand import item_demand_refresh


@shared_task(name="apps.catalogue.tasks.refresh_item_demand", acks_late=True)
def refresh_item_demand() -> int:
    """Nightly: store each item's applications of the last year (search ranking).

    Idempotent: only items whose figure changed are written. Returns how many changed.
    """
    return item_demand_refresh()
