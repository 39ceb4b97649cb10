"""Reads of the calendar's bookkeeping (years loaded). Day arithmetic lives in ``calendar``."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import Role, group_name
from apps.workdays.models import CalendarYear


def calendar_year_is_known(*, year: int) -> bool:
    return CalendarYear.objects.filter(year=year).exists()


def calendar_next_year_missing(*, today: datetime.date | None = None) -> int | None:
    """Next calendar year (today.year + 1) when it has no CalendarYear row, else None."""
    today = today or timezone.localdate()
    year = today.year + 1
    return None if calendar_year_is_known(year=year) else year


def calendar_admin_recipients() -> QuerySet:
    """Active system administrators: who maintains the working-day calendar."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=group_name(Role.SYSTEM_ADMIN)) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
