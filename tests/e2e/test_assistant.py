"""A citizen asks "开饭店需要办什么" on the home page and reaches the 开饭店一件事 (DOMAIN Q2);
a question the portal cannot answer offers 12345 and the web form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo as accounts_seed_demo
from apps.catalogue.demo import seed_demo as catalogue_seed_demo

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    accounts_seed_demo()
    catalogue_seed_demo()


def test_a_citizen_asks_on_the_home_page_and_reaches_the_bundle_q2(page, demo, screenshot):
    page.goto("/")
    box = page.get_by_role("searchbox", name="您的问题")
    expect(box).to_be_visible()
    box.fill("开饭店需要办什么")
    screenshot(page, "home-question")
    page.locator("#assistant-submit").click()

    expect(page).to_have_url(re.compile(r"/ask/\?"))
    expect(page.get_by_role("heading", name="为您找到以下内容")).to_be_visible()
    bundle = page.locator("#assistant-bundle-link")
    expect(bundle).to_have_text("开饭店一件事")
    expect(page.locator(".assistant-bundle li")).to_contain_text(["企业设立登记", "食品经营许可"])
    expect(page.locator(".assistant-quote").first).to_be_visible()
    screenshot(page, "answer")

    page.get_by_role("button", name="有帮助").click()
    expect(page.get_by_text("感谢您的评价")).to_be_visible()
    page.go_back()
    page.locator("#assistant-bundle-link").click()
    expect(page).to_have_url(re.compile(r"/bundles/YJS-KFD/$"))
    expect(page.get_by_role("heading", name=re.compile("开饭店一件事"))).to_be_visible()
    screenshot(page, "bundle")


def test_an_unanswerable_question_offers_12345_q2(page, demo, screenshot):
    page.goto("/ask/?q=今天天气怎么样")
    expect(page.get_by_text("暂时没有找到能回答这个问题的内容")).to_be_visible()
    expect(page.get_by_role("link", name="网上提交诉求")).to_have_attribute(
        "href", "/hotline/submit/"
    )
    screenshot(page, "unanswered")


def test_an_operator_asks_beside_the_intake_screen_q2(
    browser, live_server, hotline_operator, demo, screenshot
):
    from apps.hotline.defaults import seed_default_time_limits
    from apps.hotline.models import TimeLimit

    seed_default_time_limits(TimeLimit)
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", hotline_operator.username)
    page.fill("#id_password", "Portal#2026")
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    page.goto("/admin/hotline/ticket/intake/")
    page.fill("#assistant-intake-q", "孩子出生了要办什么")
    page.locator("#assistant-intake-ask").click()
    answer = page.locator("#assistant-intake-answer")
    expect(answer).to_contain_text("新生儿出生一件事")
    expect(answer.locator("blockquote").first).to_be_visible()
    screenshot(page, "intake")
    context.close()
