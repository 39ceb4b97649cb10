from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.hotline.defaults import seed_default_time_limits
from apps.hotline.models import TimeLimit
from tests.accounts.factories import StaffFactory
from tests.hotline.factories import leaf_category


@pytest.fixture
def category(department):
    """噪声扰民, owned by the window staff's department."""
    return leaf_category(department=department)


@pytest.fixture
def other_category(other_department):
    return leaf_category(department=other_department, code="JT-TC", name="乱停车")


@pytest.fixture
def operator(hotline_operator):
    return hotline_operator


@pytest.fixture
def handler(window_staff):
    """A department handler of ``department`` (window staff handle hotline tickets)."""
    return window_staff


@pytest.fixture
def co_staff(db, other_department):
    return StaffFactory(
        username="co1", full_name="钱协办", role=Role.WINDOW_STAFF, departments=[other_department]
    )


@pytest.fixture
def default_time_limits(transactional_db):
    """A transactional test's flush empties the limits migration 0002 seeded."""
    seed_default_time_limits(TimeLimit)
