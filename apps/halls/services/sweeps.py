"""The periodic passes of the halls (A14, C3, S2): reminders the day before, no-shows
released after the grace period, slots opened for the coming working days, overdue 办不成事
cases escalated.

Each pass reads only what is due (partial indexes on booked appointments and on open,
unescalated cases), walks it in keyset chunks, takes the chunk's rows with SKIP LOCKED so
two runs never work on the same row, and calls the one-row service, which re-checks the row
under its lock: a second run, a retry or an overlapping run changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import Q, QuerySet

from apps.halls.models import Appointment, HallProfile, HardCase
from apps.halls.rules import rules
from apps.halls.services._base import local_now
from apps.halls.services.booking import appointment_mark_no_show, appointment_remind
from apps.halls.services.hard_cases import hard_case_escalate
from apps.halls.services.setup import slots_open
from apps.halls.services.supervision import due_for_escalation, opinion_escalate
from apps.halls.workflow import OPEN_HARD_CASE_STATES, AppointmentState
from apps.workdays.calendar import add_working_days

BATCH_SIZE = 200


def _chunks(qs: QuerySet, batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _each(qs: QuerySet, act: Callable[[int], object], batch_size: int) -> int:
    done = 0
    for chunk in _chunks(qs, batch_size):
        with transaction.atomic():
            free = list(
                qs.model.objects.select_for_update(skip_locked=True)
                .filter(pk__in=chunk)
                .values_list("pk", flat=True)
            )
            done += sum(1 for pk in free if act(pk))
    return done


def appointments_to_remind(today: datetime.date) -> QuerySet[Appointment]:
    """Booked, not reminded, for the next working day (or a day before it)."""
    return Appointment.objects.filter(
        state=AppointmentState.BOOKED,
        reminded_at__isnull=True,
        slot__day__gt=today,
        slot__day__lte=add_working_days(today, 1),
    )


def appointments_past_grace(moment: datetime.datetime) -> QuerySet[Appointment]:
    local = local_now(moment - datetime.timedelta(minutes=rules().no_show_grace_minutes))
    return Appointment.objects.filter(state=AppointmentState.BOOKED).filter(
        Q(slot__day__lt=local.date()) | Q(slot__day=local.date(), slot__starts__lt=local.time())
    )


def remind_appointments(*, batch_size: int = BATCH_SIZE) -> int:
    today = local_now().date()
    return _each(
        appointments_to_remind(today),
        lambda pk: appointment_remind(appointment_id=pk),
        batch_size,
    )


def release_no_shows(*, batch_size: int = BATCH_SIZE) -> int:
    return _each(
        appointments_past_grace(local_now()),
        lambda pk: appointment_mark_no_show(appointment_id=pk),
        batch_size,
    )


def escalate_hard_cases(*, batch_size: int = BATCH_SIZE) -> int:
    today = local_now().date()
    due = HardCase.objects.filter(
        state__in=OPEN_HARD_CASE_STATES, escalated_at__isnull=True, deadline__lt=today
    )
    return _each(due, lambda pk: hard_case_escalate(case_id=pk), batch_size)


def escalate_opinions(*, batch_size: int = BATCH_SIZE) -> int:
    due = due_for_escalation(local_now().date())
    return _each(due, lambda pk: opinion_escalate(opinion_id=pk), batch_size)


def open_slots_everywhere() -> int:
    today = local_now().date()
    return sum(
        slots_open(hall=hall, start=today)
        for hall in HallProfile.objects.filter(is_bookable=True, center__is_active=True)
    )
