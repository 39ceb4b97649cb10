"""Issue #12, done when: a citizen rates a decided application from the invitation, and a
supervisor sees the dashboard with its charts drawn and drills down to the reviews behind a
figure (DOMAIN R1, R6), at 1366 px and at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.notifications.models import Notification
from apps.reviews.models import RectificationCase, Review
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.reviews.factories import decided_application, item_for, review, window_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"


def test_citizen_rates_a_decided_application_from_the_invitation(
    page, department, approver, screenshot
):
    citizen = UserFactory(full_name="林晓燕", phone="13912340021", role=Role.CITIZEN)
    application = decided_application(citizen, department, approver)
    invitation = Notification.objects.get(
        recipient=citizen, channel="inbox", title="请对本次服务作出评价"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340021")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("林晓燕")

    page.goto("/applications/")
    expect(page.get_by_role("link", name="去评价")).to_have_attribute("href", invitation.link)
    page.goto(f"/inbox/{invitation.pk}/")
    page.locator(f"main a[href='{invitation.link}']").first.click()
    expect(page.get_by_role("heading", name="服务评价")).to_be_visible()
    expect(page.get_by_text(application.number)).to_be_visible()
    tags = page.locator("#rv-tags")
    expect(tags).to_be_hidden()
    page.get_by_label("不满意", exact=True).check()
    expect(tags).to_be_visible()
    page.get_by_label("办理时间过长").check()
    page.get_by_label("评价内容").fill("承诺5个工作日，实际用了8个工作日。")
    screenshot(page, "rate-form-390")
    page.get_by_role("button", name="提交评价").click()

    expect(page.get_by_role("heading", name="我的评价")).to_be_visible()
    expect(page.get_by_text("感谢您的评价！")).to_be_visible()
    expect(page.get_by_text("待回访核实")).to_be_visible()
    screenshot(page, "my-reviews-390")
    given = Review.objects.get()
    assert (given.channel, given.level, given.reviewer) == ("web", "dissatisfied", citizen)
    assert RectificationCase.objects.filter(review=given).exists()
    page.goto("/applications/")
    expect(page.get_by_role("link", name="去评价")).to_have_count(0)


@pytest.fixture
def figures(department):
    """Reviews across three departments, windows and staff, one department doing badly."""
    departments = [
        department,
        DepartmentFactory(name="市公安局"),
        DepartmentFactory(name="市民政局"),
    ]
    for index, d in enumerate(departments):
        staff = StaffFactory(departments=[d], full_name=f"窗口{index}号")
        window = window_for(d, number=f"0{index + 1}")
        item = item_for(d)
        levels = ["very_satisfied"] * 8 + ["satisfied"] * 3 + ["dissatisfied"] * (1 + 3 * index)
        for level in levels:
            review(d, UserFactory(), level, item=item, window=window, staff=staff)
    return departments


@pytest.mark.parametrize("width", [1366, 390])
def test_supervisor_sees_charts_and_drills_down(browser, live_server, figures, width, screenshot):
    supervisor = StaffFactory(username="supervisor-e2e", full_name="冯督查", role=Role.SUPERVISOR)
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/admin/login/")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="监督管理驾驶舱")).to_be_visible()
    trend = page.locator("#panel-reviews-trend")
    expect(trend).to_have_attribute("data-drawn", "1")
    expect(trend.locator(".db-chart canvas")).to_have_count(1)
    for key in ("reviews-levels", "reviews-departments", "reviews-rectification"):
        expect(page.locator(f"#panel-{key} .db-chart canvas")).to_have_count(1)
    expect(trend.locator(".db-summary")).to_contain_text("共45条评价")
    page.wait_for_timeout(800)  # let the charts' entry animation finish before the shot
    screenshot(page, f"dashboard-{width}")

    departments = page.locator("#panel-reviews-departments")
    departments.get_by_text("表格视图").click()
    departments.get_by_role("link", name="市民政局").click()
    expect(page.get_by_role("heading", name="评价明细")).to_be_visible()
    rows = page.locator("table.db-drill tbody tr")
    expect(rows).to_have_count(18)
    expect(page.locator("table.db-drill")).not_to_contain_text("市公安局")
    screenshot(page, f"drill-{width}")
    context.close()


def test_dashboard_in_large_text_mode(browser, live_server, figures, screenshot):
    StaffFactory(username="supervisor-a11y", full_name="冯督查", role=Role.SUPERVISOR)
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 900}
    )
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "supervisor-a11y")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.get_by_role("button", name="长辈版/大字模式").click()
    expect(page.locator("html")).to_have_class("a11y")
    expect(page.locator("#panel-reviews-levels")).to_have_attribute("data-drawn", "1")
    page.wait_for_timeout(800)
    screenshot(page, "dashboard-large-text-390")
    context.close()
