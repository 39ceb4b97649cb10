from __future__ import annotations

import pytest

from apps.workdays.calendar import default_store
from tests.applications.factories import ApplicationFactory, guide_for


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    """The calendar snapshot is per process: start each test from the database it sees."""
    default_store.invalidate()
    yield
    default_store.invalidate()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploaded materials go to a fresh private root per test (the private storage reads
    the setting on every use)."""
    root = tmp_path / "private"
    settings.PRIVATE_FILES_ROOT = root
    return root


@pytest.fixture
def guide(department):
    return guide_for(department)


@pytest.fixture
def submitted(guide, citizen):
    """A submitted application of ``citizen`` to ``department`` (the window staff's)."""
    return ApplicationFactory(guide=guide, applicant=citizen)
