from __future__ import annotations

import pytest

from apps.workdays.calendar import default_store
from tests.pledges.factories import pledge_guide


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    default_store.invalidate()
    yield
    default_store.invalidate()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def guide(department):
    return pledge_guide(department)
