"""What the sweep must act on (DOMAIN T2, T3), read through the partial index that holds
only the materials the applicant still owes (``tol_owed_due_idx``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from apps.tolerance.models import MaterialSupply
from apps.tolerance.workflow import OWED_VALUES
from apps.workdays.calendar import add_working_days


def reminder_thresholds() -> list[int]:
    """Working days before a deadline on which the applicant is reminded, largest first."""
    return sorted(
        {int(d) for d in settings.TOLERANCE_REMINDER_WORKING_DAYS if int(d) > 0}, reverse=True
    )


def owed() -> QuerySet[MaterialSupply]:
    return MaterialSupply.objects.filter(state__in=OWED_VALUES)


def reminders_due(today: date) -> QuerySet[MaterialSupply]:
    """Owed materials whose deadline is today or within the largest reminder threshold."""
    thresholds = reminder_thresholds()
    if not thresholds:
        return MaterialSupply.objects.none()
    horizon = add_working_days(today, thresholds[0])
    return owed().filter(due_date__gte=today, due_date__lte=horizon)


def lapsed(today: date) -> QuerySet[MaterialSupply]:
    """T3: owed materials whose deadline has passed (the deadline day itself still counts)."""
    return owed().filter(due_date__lt=today)
