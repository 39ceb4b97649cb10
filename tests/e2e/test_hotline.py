"""Issue #13, done when: an operator takes a call and answers it from the knowledge base
(DOMAIN H2, H4, H5); a citizen looks a ticket's progress up by number and phone (H7).
At 1366 px and 390 px, with screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.hotline import services
from apps.hotline.defaults import seed_default_time_limits
from apps.hotline.models import Ticket, TimeLimit
from apps.hotline.workflow import Closure, TicketState
from tests.hotline.factories import call, leaf_category, published_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"
CALLER = "13912345678"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(autouse=True)
def _time_limits(transactional_db):
    """A transactional test's flush empties the limits migration 0002 seeded."""
    seed_default_time_limits(TimeLimit)


def _staff_page(browser, live_server, username: str, width: int, height: int):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


@pytest.mark.parametrize("size", SIZES)
def test_operator_takes_a_call_and_answers_it_from_the_knowledge_base(
    browser, live_server, hotline_operator, department, screenshot, size
):
    category = leaf_category(department=department, code="SB-JF", name="社保缴费")
    article = published_article(department=department, category=category)
    earlier = services.ticket_take_call(actor=hotline_operator, data=call(category))
    page = _staff_page(browser, live_server, hotline_operator.username, *SIZES[size])
    page.goto("/admin/hotline/ticket/intake/")
    # Caller phone first: the earlier ticket appears at once.
    expect(page.locator("#id_caller_phone")).to_be_focused()
    page.keyboard.type(CALLER)
    expect(page.locator("#caller-history")).to_contain_text(earlier.number)
    page.keyboard.press("Tab")
    page.keyboard.type("李女士")
    page.keyboard.press("Alt+1")  # 咨询
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_content", "我的社保卡丢了，怎么补办？")
    expect(page.locator("#kb-suggestions")).to_contain_text(article.title)
    screenshot(page, f"intake-{size}")
    page.keyboard.press("Alt+a")
    expect(page.locator("#chosen-article")).to_contain_text(article.title)
    page.locator("#btn-answer").click()
    expect(page.locator("#ticket-state")).to_have_text("已办结")
    screenshot(page, f"answered-{size}")
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert ticket.state == TicketState.CLOSED
    assert ticket.closure == Closure.ANSWERED_ON_SPOT and ticket.kb_article_id == article.pk


@pytest.mark.parametrize("size", SIZES)
def test_citizen_looks_up_progress_without_an_account(
    browser, live_server, hotline_operator, department, window_staff, screenshot, size
):
    category = leaf_category(department=department)
    ticket = services.ticket_take_call(actor=hotline_operator, data=call(category))
    services.ticket_dispatch(ticket_id=ticket.pk, actor=hotline_operator)
    services.ticket_sign(ticket_id=ticket.pk, actor=window_staff)
    services.ticket_reply(ticket_id=ticket.pk, actor=window_staff, text="已责令工地夜间停工。")
    services.ticket_close(ticket_id=ticket.pk, actor=hotline_operator)
    width, height = SIZES[size]
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/hotline/")
    page.get_by_role("link", name="查询进度").click()
    page.get_by_label("工单编号").fill(ticket.number)
    page.get_by_label("来电或登记的手机号码").fill(CALLER)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#track-state")).to_have_text("已办结")
    expect(page.locator("#progress")).to_contain_text("已责令工地夜间停工。")
    expect(page.locator("#progress")).to_contain_text("签收")
    screenshot(page, f"track-{size}")
    context.close()
