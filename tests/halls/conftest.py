"""A hall with a comprehensive group (A: two windows) and a departmental group (B: one
window), a published item served there, and window staff on duty today."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine

from apps.accounts.models import ServiceWindow
from apps.accounts.roles import Role
from apps.halls import services
from apps.halls.workflow import WindowKind
from apps.workdays.calendar import SHANGHAI
from tests.accounts.factories import ServiceCenterFactory, StaffFactory
from tests.catalogue.factories import PublishedGuideFactory

# A Tuesday; the National Day holidays (1–7 October 2026) follow.
TODAY = datetime.date(2026, 9, 29)
NINE_THIRTY = datetime.datetime(2026, 9, 29, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def at_nine_thirty():
    with time_machine.travel(NINE_THIRTY, tick=False) as traveller:
        yield traveller


def build_hall(*, department, manager, staff, capacity=2, day=TODAY):
    center = ServiceCenterFactory(name="市民服务中心", address="榕城路1号")
    center.departments.add(department)
    hall = services.hall_configure(actor=manager, center=center)
    guide = PublishedGuideFactory(
        item__implementing_department=department, item__competent_department=department
    )
    item = guide.item
    comprehensive = services.group_create(
        actor=manager,
        hall=hall,
        name="综合受理",
        letter="A",
        kind=WindowKind.COMPREHENSIVE,
        capacity_per_slot=capacity,
    )
    departmental = services.group_create(
        actor=manager,
        hall=hall,
        name="市场监管专窗",
        letter="B",
        kind=WindowKind.DEPARTMENTAL,
        items=[item],
        capacity_per_slot=capacity,
    )
    windows = []
    for number, group in (("1", comprehensive), ("2", comprehensive), ("3", departmental)):
        window = ServiceWindow.objects.create(center=center, number=number, name=group.name)
        window.departments.add(department)
        services.window_place(actor=manager, window=window, group=group)
        windows.append(window)
    for person, window in zip(staff, windows, strict=False):
        services.shift_add(
            actor=manager,
            window=window,
            staff=person,
            day=day,
            starts=datetime.time(8, 30),
            ends=datetime.time(17, 30),
        )
    return SimpleNamespace(
        center=center,
        hall=hall,
        item=item,
        guide=guide,
        comprehensive=comprehensive,
        departmental=departmental,
        windows=windows,
    )


@pytest.fixture
def hall_manager(db):
    return StaffFactory(username="hallmgr", full_name="韩主任", role=Role.SUPERVISOR)


@pytest.fixture
def second_window_staff(db, department):
    return StaffFactory(
        username="window3", full_name="钱窗口", role=Role.WINDOW_STAFF, departments=[department]
    )


@pytest.fixture
def setup(at_nine_thirty, department, hall_manager, window_staff, second_window_staff):
    return build_hall(
        department=department,
        manager=hall_manager,
        staff=[window_staff, second_window_staff],
    )
