"""The pages people trip over, in a real browser (issue #8, DOMAIN Q1, A10, A15): 我的办件
and the staff queue as cards on a 390 px phone, the main menu behind a 菜单 button in
large-text mode, the stepper with the current step and its deadline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.applications.workflow import State
from tests.accounts.factories import StaffFactory, UserFactory
from tests.applications.factories import ApplicationFactory, accepted_application, guide_for
from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px"


def _no_squeezed_cells(page, selector: str) -> None:
    """Cards, not columns: every value cell is most of the card wide (a squeezed column
    would be a few characters wide and wrap one character a line)."""
    widths = page.eval_on_selector_all(
        selector, "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 250, widths


@pytest.fixture
def cases(department):
    citizen = UserFactory(full_name="林晓燕", phone="13912340041", role=Role.CITIZEN)
    guide = guide_for(department)
    waiting = ApplicationFactory(guide=guide, applicant=citizen, state=State.SUBMITTED)
    reviewing = accepted_application(guide=guide, applicant=citizen, state=State.UNDER_REVIEW)
    return citizen, waiting, reviewing


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_my_applications_on_a_phone_are_cards_with_a_menu_button(page, screenshot, cases, large):
    _citizen, waiting, reviewing = cases
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340041")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    if large:
        page.get_by_role("button", name="长辈版/大字模式").click()
        expect(page.locator("html")).to_have_class("a11y")

    # The main menu folds behind 菜单 and opens in full: nothing cut off at the edge.
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_be_visible()
    mine = page.locator(".main-nav").get_by_role("link", name="我的办件")
    expect(mine).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in ("首页", "个人办事", "法人办事", "惠企政策", "我的办件", "我的政策"):
        link = page.locator(".main-nav").get_by_role("link", name=name)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    screenshot(page, "menu")
    mine.click()

    expect(page.get_by_role("heading", name="我的办件")).to_be_visible()
    expect(page.get_by_text(waiting.number)).to_be_visible()
    expect(page.get_by_text(reviewing.number)).to_be_visible()
    _no_sideways_scroll(page)
    _no_squeezed_cells(page, ".app-table td")
    screenshot(page, "mine")

    # The stepper: done, current (marked, with its deadline), still to come.
    page.locator("tr", has_text=reviewing.number).get_by_role("link", name="查看").click()
    current = page.locator(".app-stepper [aria-current=step]")
    expect(current).to_contain_text("审查")
    expect(current).to_contain_text(reviewing.due_date.strftime("%Y-%m-%d"))
    expect(page.locator(".app-step-upcoming")).to_have_count(2)
    _no_sideways_scroll(page)
    screenshot(page, "detail")


def test_the_desktop_keeps_the_menu_and_the_table(page, cases):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340041")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    page.locator(".main-nav").get_by_role("link", name="我的办件").click()
    expect(page.locator(".app-table thead")).to_be_visible()


def test_the_approvers_queue_on_a_phone_is_cards_opening_on_to_decide(
    page, screenshot, cases, department
):
    _citizen, _waiting, reviewing = cases
    StaffFactory(
        username="approver9",
        full_name="吴科长",
        role=Role.DEPARTMENT_APPROVER,
        departments=[department],
    )
    page.set_viewport_size(PHONE)
    page.goto("/admin/login/")
    page.fill("#id_username", "approver9")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto("/admin/applications/application/queue/")

    expect(page.locator(".gs-tabs a.active")).to_have_text("待决定")
    expect(page.get_by_role("link", name=reviewing.number)).to_be_visible()
    _no_sideways_scroll(page)
    _no_squeezed_cells(page, "table.gs-cards td")
    expect(page.locator("table.gs-cards td[data-label='办结期限']").first).to_be_visible()
    screenshot(page, "queue")
