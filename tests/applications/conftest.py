from __future__ import annotations

import pytest

from apps.catalogue.models import Bundle, BundleStep
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


@pytest.fixture
def bundle(department, other_department):
    """A published 一件事 of two items, one of ``department`` (the lead) and one of
    ``other_department``, in one parallel stage (C8)."""
    first = guide_for(department)
    second = guide_for(other_department)
    bundle = Bundle.objects.create(
        code="YJS-KAIDIAN",
        name="我要开餐馆",
        target="both",
        lead_department=department,
        promised_time_limit_days=10,
        status=Bundle.Status.PUBLISHED,
    )
    BundleStep.objects.create(bundle=bundle, item=first.item, stage=1)
    BundleStep.objects.create(bundle=bundle, item=second.item, stage=1)
    return bundle
