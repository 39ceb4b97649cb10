from __future__ import annotations

import pytest

from apps.workdays.calendar import default_store


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    default_store.invalidate()
    yield
    default_store.invalidate()
