from __future__ import annotations

from celery import shared_task

from apps.documents.services import document_files_sweep


@shared_task
def sweep_unreferenced_document_files() -> int:
    """Idempotent: a second run finds nothing left to delete."""
    return document_files_sweep(min_age_minutes=60)
