"""The hall rules' numbers, each configurable in settings (seed 002 §10; DOMAIN A13)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class HallRules:
    max_active_appointments: int  # a person's booked, not yet used appointments
    cancel_cutoff_minutes: int  # cancel no later than this before the slot starts
    checkin_early_minutes: int  # a number by appointment code from this long before the slot
    no_show_grace_minutes: int  # after the slot starts, then the appointment is a no-show
    no_show_limit: int  # no-shows within ``no_show_window_days`` that suspend booking
    no_show_window_days: int
    no_show_ban_days: int
    elderly_age: int  # the green channel's age by the ID number


def rules() -> HallRules:
    return HallRules(
        max_active_appointments=getattr(settings, "HALLS_MAX_ACTIVE_APPOINTMENTS", 3),
        cancel_cutoff_minutes=getattr(settings, "HALLS_CANCEL_CUTOFF_MINUTES", 60),
        checkin_early_minutes=getattr(settings, "HALLS_CHECKIN_EARLY_MINUTES", 60),
        no_show_grace_minutes=getattr(settings, "HALLS_NO_SHOW_GRACE_MINUTES", 15),
        no_show_limit=getattr(settings, "HALLS_NO_SHOW_LIMIT", 3),
        no_show_window_days=getattr(settings, "HALLS_NO_SHOW_WINDOW_DAYS", 90),
        no_show_ban_days=getattr(settings, "HALLS_NO_SHOW_BAN_DAYS", 30),
        elderly_age=getattr(settings, "HALLS_ELDERLY_AGE", 60),
    )
