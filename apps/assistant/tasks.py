"""Thin Celery tasks of the assistant: pre-check one uploaded file; sweep the unchecked."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.assistant.prechecks.services import material_precheck, materials_precheck_pending


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def precheck_material(material_id: int) -> bool:
    """Q2: check one file after its upload committed (idempotent: one result row)."""
    return material_precheck(material_id=material_id) is not None


@shared_task(soft_time_limit=300, time_limit=330)
def precheck_pending_materials() -> int:
    """Q2: check the files of open applications a lost message left unchecked."""
    return materials_precheck_pending()
