from __future__ import annotations

import pytest

from apps.workdays.calendar import default_store


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    """The calendar snapshot is per process: start each test from the database it sees."""
    default_store.invalidate()
    yield
    default_store.invalidate()


@pytest.fixture(autouse=True)
def small_rate_limits(settings):
    settings.REVIEWS_PER_PERSON_PER_DAY = 10
    settings.REVIEWS_PER_SOURCE_PER_DAY = 20
    settings.REVIEWS_PER_TARGET_PER_HOUR = 30
