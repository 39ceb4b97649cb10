from __future__ import annotations

import datetime

import pytest

from apps.workdays.calendar import SHANGHAI, default_store


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    """Each test starts from the database it sees (rolled-back edits must not linger in the
    process-wide snapshot) and with no year already warned about."""
    default_store.invalidate()
    default_store.warned_years.clear()
    yield
    default_store.invalidate()
    default_store.warned_years.clear()


def local(*args: int) -> datetime.datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)
