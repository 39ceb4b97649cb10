from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from apps.documents.services import document_files_sweep, document_render, document_render_pending


@shared_task(
    name="apps.documents.tasks.render_document",
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=6,
)
def render_document(document_id: int) -> bool:
    """Render one issued document's PDF (queued after the issuing transaction commits).
    Idempotent: a document already rendered is left as it is."""
    document = document_render(document_id=document_id)
    return bool(document and document.is_ready)


@shared_task
def render_pending_documents() -> int:
    """The safety net: render what a lost message or a broker outage left pending.
    Leaves documents younger than a minute to their own queued task."""
    return document_render_pending(older_than=timedelta(minutes=1))


@shared_task
def sweep_unreferenced_document_files() -> int:
    """Idempotent: a second run finds nothing left to delete."""
    return document_files_sweep(min_age_minutes=60)
