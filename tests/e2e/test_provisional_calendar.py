"""Issue 7: a deadline counted on a provisional calendar says so in the browser.

Accepted on Monday 2026-12-21 with 10 working days, the case runs into 2027, whose holiday
arrangement nobody has loaded: its due date 2027-01-04 is counted on weekdays only. The
applicant sees "按暂定日历计算" on 我的办件 and on the application page (desktop and phone
widths), and so does window staff in the console; once 2027 is published and the change is
recomputed, the mark is gone (DOMAIN A7, A10).
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.applications import services
from apps.workdays.models import CalendarChange, CalendarYear
from apps.workdays.services import calendar_year_set
from apps.workdays.tasks import dispatch_calendar_change
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, guide_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSWORD = "Portal#2026"
MARK = "按暂定日历计算"


@pytest.fixture
def provisional_case(department, window_staff):
    citizen = UserFactory(full_name="林晓燕", phone="13912340021", role=Role.CITIZEN)
    guide = guide_for(department, promised=10)
    with time_machine.travel(datetime.datetime(2026, 12, 21, 10, tzinfo=SHANGHAI), tick=False):
        app = ApplicationFactory(guide=guide, applicant=citizen)
        return services.application_accept(application_id=app.pk, actor=window_staff)


def _citizen_login(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340021")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("林晓燕")


def test_the_provisional_mark_in_the_browser(
    page, browser, live_server, provisional_case, screenshot
):
    app = provisional_case
    assert app.due_date == datetime.date(2027, 1, 4) and app.deadline_provisional
    _citizen_login(page)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/applications/")
        expect(page.locator(".app-provisional").first).to_have_text(MARK)
        screenshot(page, f"list-{width}")
        page.goto(f"/applications/{app.pk}/")
        expect(page.locator(".app-status .app-provisional")).to_have_text(MARK)
        expect(page.locator(".app-provisional-note")).to_contain_text("尚未发布")
        screenshot(page, f"detail-{width}")

    staff = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    staff.set_viewport_size({"width": 1366, "height": 900})
    staff.goto("/admin/login/")
    staff.fill("#id_username", "window1")
    staff.fill("#id_password", PASSWORD)
    staff.locator("input[type=submit]").click()
    staff.goto(f"/admin/applications/application/{app.pk}/change/")
    expect(staff.locator(".gs-provisional")).to_have_text(MARK)
    screenshot(staff, "console-1366")

    calendar_year_set(year=2027, status=CalendarYear.Status.PUBLISHED)
    assert dispatch_calendar_change(CalendarChange.objects.get().pk) == "done"
    page.goto(f"/applications/{app.pk}/")
    expect(page.locator(".app-status")).to_contain_text("2027-01-04")
    expect(page.locator(".app-provisional")).to_have_count(0)
