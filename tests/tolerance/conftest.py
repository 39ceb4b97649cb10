from __future__ import annotations

import pytest

from apps.workdays.calendar import default_store
from tests.applications.factories import ApplicationFactory, guide_for
from tests.tolerance.helpers import incomplete_application


@pytest.fixture(autouse=True)
def fresh_calendar_view():
    default_store.invalidate()
    yield
    default_store.invalidate()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_FILES_ROOT = root
    return root


@pytest.fixture
def guide(department):
    return guide_for(department)


@pytest.fixture
def submitted(guide, citizen):
    """Submitted with the main material in and the tolerable one (场所平面图) missing."""
    return incomplete_application(guide, citizen)


@pytest.fixture
def complete(guide, citizen):
    return ApplicationFactory(guide=guide, applicant=citizen)
