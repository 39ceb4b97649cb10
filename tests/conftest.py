"""Shared fixtures: named personas for permission matrices (see CONVENTIONS.md)."""

from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from tests.accounts.factories import (
    CompanyFactory,
    DepartmentFactory,
    StaffFactory,
    UserFactory,
)

DEFAULT_PASSWORD = "Portal#2026"


@pytest.fixture
def department(db):
    return DepartmentFactory(code="SCJGJ", name="市市场监督管理局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="GAJ", name="市公安局")


@pytest.fixture
def citizen(db):
    return UserFactory(full_name="王小明", role=Role.CITIZEN)


@pytest.fixture
def other_citizen(db):
    return UserFactory(full_name="赵小红", role=Role.CITIZEN)


@pytest.fixture
def company(db):
    return CompanyFactory(name="榕城示范科技有限公司")


@pytest.fixture
def company_agent(db, company):
    from apps.accounts.models import User

    agent = UserFactory(full_name="钱经办", kind=User.Kind.COMPANY_AGENT, role=Role.COMPANY_AGENT)
    agent.companies.add(company)
    return agent


@pytest.fixture
def window_staff(db, department):
    return StaffFactory(
        username="window1", full_name="孙窗口", role=Role.WINDOW_STAFF, departments=[department]
    )


@pytest.fixture
def other_dept_staff(db, other_department):
    return StaffFactory(
        username="window2",
        full_name="周窗口",
        role=Role.WINDOW_STAFF,
        departments=[other_department],
    )


@pytest.fixture
def approver(db, department):
    return StaffFactory(
        username="approver1",
        full_name="吴科长",
        role=Role.DEPARTMENT_APPROVER,
        departments=[department],
    )


@pytest.fixture
def hotline_operator(db):
    return StaffFactory(username="hotline1", full_name="郑话务", role=Role.HOTLINE_OPERATOR)


@pytest.fixture
def supervisor(db):
    return StaffFactory(username="supervisor1", full_name="冯督查", role=Role.SUPERVISOR)


@pytest.fixture
def system_admin(db):
    return StaffFactory(
        username="sysadmin", full_name="陈管理", role=Role.SYSTEM_ADMIN, is_superuser=True
    )
