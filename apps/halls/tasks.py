"""Thin Celery tasks of the halls: each calls one sweep; all idempotent (see
:mod:`apps.halls.services.sweeps`)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from apps.halls.services import sweeps

_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "max_retries": 3,
    "soft_time_limit": 600,
    "time_limit": 660,
    "acks_late": True,
}


@shared_task(**_OPTIONS)
def remind_appointments() -> int:
    """A14: the reminder the day before an appointment, once each."""
    return sweeps.remind_appointments()


@shared_task(**_OPTIONS)
def release_no_shows() -> int:
    """C3: appointments not used by the end of the grace period become no-shows."""
    return sweeps.release_no_shows()


@shared_task(**_OPTIONS)
def open_slots() -> int:
    """C3: bookable slots for the coming working days of every hall."""
    return sweeps.open_slots_everywhere()


@shared_task(**_OPTIONS)
def escalate_hard_cases() -> int:
    """S2, S1: open 办不成事 cases and social supervisors' opinions past their deadline go
    to the supervisors, once."""
    return sweeps.escalate_hard_cases() + sweeps.escalate_opinions()
