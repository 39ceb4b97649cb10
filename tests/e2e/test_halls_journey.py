"""Issue #15, done when: a citizen books a slot and takes a number with the code; window
staff call it while the call screen shows it (DOMAIN C3, A13, R5). Screenshots looked at."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.halls import services
from apps.halls.models import Appointment, Ticket
from apps.workdays.calendar import SHANGHAI
from tests.accounts.factories import StaffFactory, UserFactory, make_resident_id
from tests.halls.conftest import build_hall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"
PHONE = "13912340151"
DAY = datetime.date(2026, 11, 30)  # a Monday
MORNING = datetime.datetime(2026, 11, 30, 9, 35, tzinfo=SHANGHAI)


def _staff_page(browser, live_server, username: str):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url
    )
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto("/admin/login/")
    staff.fill("#id_username", username)
    staff.fill("#id_password", PASSWORD)
    staff.locator("input[type=submit]").click()
    staff.wait_for_load_state()
    return staff


def test_citizen_books_takes_a_number_and_the_window_calls_it(
    page, browser, live_server, department, screenshot
):
    with time_machine.travel(MORNING, tick=True):
        manager = StaffFactory(username="hallmgr", full_name="韩主任", role=Role.SUPERVISOR)
        clerk = StaffFactory(
            username="window1",
            full_name="孙窗口",
            role=Role.WINDOW_STAFF,
            departments=[department],
        )
        hall = build_hall(department=department, manager=manager, staff=[clerk], day=DAY)
        services.slots_open(hall=hall.hall, start=DAY, days=2)
        services.ticket_take(hall=hall.hall, item=hall.item)  # a walk-in came earlier
        UserFactory(
            full_name="林晓燕",
            phone=PHONE,
            id_number=make_resident_id(birth=datetime.date(1990, 3, 8)),
            role=Role.CITIZEN,
        )

        # --- The citizen books the 10:00 slot on the hall page (C3) ----------------------
        page.goto("/accounts/login/")
        page.get_by_label("手机号").fill(PHONE)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".user-name")).to_have_text("林晓燕")
        page.goto(f"/halls/{hall.hall.pk}/?item={hall.item.pk}")
        expect(page.get_by_role("heading", name="网上预约")).to_be_visible()
        screenshot(page, "hall-slots")
        page.locator("button.hl-slot", has_text="11-30 10:00-10:30 综合受理").click()
        expect(page.get_by_role("heading", name="预约详情")).to_be_visible()
        code = Appointment.objects.get().code
        expect(page.locator("#appointment-code")).to_have_text(code)
        screenshot(page, "appointment")

        # --- At the kiosk, a number by the code: before the earlier walk-in (A13) --------
        page.goto(f"/halls/{hall.hall.pk}/kiosk/")
        page.get_by_label("预约码").fill(code.lower())
        page.get_by_role("button", name="取号").click()
        expect(page.locator("#ticket-number")).to_have_text("A002")
        expect(page.get_by_text("预约", exact=True)).to_be_visible()
        expect(page.get_by_text("您前面还有 0 人等候")).to_be_visible()
        screenshot(page, "ticket")

        # --- The call screen is open; the window calls the next number -----------------
        screen = browser.new_page(base_url=live_server.url)
        screen.goto(f"/halls/{hall.hall.pk}/screen/")
        desk = _staff_page(browser, live_server, "window1")
        desk.goto("/halls/desk/")
        desk.get_by_role("link", name="1号窗口").click()
        desk.get_by_role("button", name="叫号").click()
        expect(desk.locator("#held-number")).to_have_text("A002")
        screenshot(desk, "desk-called")
        expect(screen.locator("#calls")).to_contain_text("A002", timeout=10_000)
        expect(screen.locator("#latest")).to_have_text("请 A002 号到 1 号窗口")
        screenshot(screen, "call-screen")
        # The screen's script speaks the page's language (its strings come from /en/jsi18n/).
        english = browser.new_page(base_url=live_server.url)
        english.goto(f"/en/halls/{hall.hall.pk}/screen/")
        expect(english.locator("#latest")).to_have_text("Number A002, please go to window 1")
        expect(english.locator("#calls")).to_contain_text("Window 1")
        english.close()

        # --- The citizen's ticket page says where to go; the window finishes ----------
        page.reload()
        expect(page.get_by_text("请到 1 号窗口")).to_be_visible()
        desk.get_by_role("button", name="办结").click()
        expect(desk.get_by_text("请办事人扫码评价本次服务")).to_be_visible()
        screenshot(desk, "desk-rating-qr")
        assert Ticket.objects.get(number=2).state == "done"
        screen.close()
