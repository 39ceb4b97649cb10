"""The daily coverage check (DOMAIN intro: the calendar must cover next year)."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine

from apps.notifications.models import Notification
from apps.workdays.calendar import SHANGHAI
from apps.workdays.tasks import check_calendar_coverage

pytestmark = pytest.mark.django_db


def _at(*args: int) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(*args, 8, 0, tzinfo=SHANGHAI), tick=False)


def test_known_next_year_is_silent(caplog):
    caplog.set_level(logging.WARNING)
    with _at(2025, 11, 22):
        assert check_calendar_coverage() is None
    assert not [r for r in caplog.records if r.name.startswith("apps.workdays")]


def test_unknown_next_year_logs_a_warning(caplog):
    """No system administrator yet: the warning is all there is, and nothing crashes."""
    caplog.set_level(logging.WARNING)
    with _at(2026, 11, 22):
        assert check_calendar_coverage() == 2027
    messages = [r.getMessage() for r in caplog.records if r.name == "apps.workdays.services"]
    assert any("2027" in m for m in messages)


def test_unknown_next_year_notifies_each_system_admin_once(system_admin, citizen):
    with _at(2026, 11, 22):
        assert check_calendar_coverage() == 2027
        assert check_calendar_coverage() == 2027  # daily re-run: deduplicated

    notices = Notification.objects.filter(recipient=system_admin)
    assert notices.count() == 1
    assert "2027" in notices.get().title
    assert not Notification.objects.filter(recipient=citizen).exists()
