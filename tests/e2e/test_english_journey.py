"""Issue #17, English edition, in a real browser: a browser that prefers English still lands
on the Chinese portal; the visitor switches to English with the header's 中文 / English
switch (the choice is remembered) and applies for a service in English:

home → search → item page → apply → submit → inbox → application detail.

The item has an English name; a second result has none and shows its Chinese name marked
"(Chinese only)". The record itself (timeline, message, 申请书) stays Chinese.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.applications.models import Application
from tests.accounts.factories import UserFactory
from tests.applications.factories import (
    PDF_BYTES,
    PNG_BYTES,
    GuideFactory,
    GuideMaterialFactory,
)
from tests.catalogue.factories import PublicServiceItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"
FORM, PLAN = "食品经营许可申请书", "经营场所平面图"


@pytest.fixture
def items(department):
    english = PublicServiceItemFactory(
        code="350100-SCJGJ-XK-0917",
        name="食品经营许可",
        name_en="Food business licence",
        summary_en="A licence to sell or serve food, e.g. for a restaurant, shop or canteen.",
        keywords="食品,餐饮",
        competent_department=department,
    )
    guide = GuideFactory(item=english, promised_time_limit_days=5, legal_time_limit_days=20)
    for order, name in enumerate((FORM, PLAN), start=1):
        GuideMaterialFactory(guide=guide, order=order, name=name, electronic_formats="pdf,png")
    chinese = PublicServiceItemFactory(
        code="350100-SCJGJ-XK-0918", name="食品经营许可注销", competent_department=department
    )
    GuideFactory(item=chinese)
    return english, chinese


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(
        locale="en-US", timezone_id="Asia/Shanghai", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_citizen_applies_in_english(english_page, screenshot, tmp_path, items):
    page = english_page
    english, chinese = items
    UserFactory(full_name="Anna Schmidt", phone="13912340917")
    form_pdf, plan_png = tmp_path / "form.pdf", tmp_path / "plan.png"
    form_pdf.write_bytes(PDF_BYTES)
    plan_png.write_bytes(PNG_BYTES)

    # --- The bare address is Chinese even though the browser asks for English --------
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{page.url.split('/en/')[0]}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    screenshot(page, "home")
    # Remembered: the bare address now opens the English edition.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # --- Sign in, in English ---------------------------------------------------------
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in (individuals and businesses)")).to_be_visible()
    page.get_by_label("Mobile number").fill("13912340917")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".user-name")).to_have_text("Anna Schmidt")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # --- Search: the English name, and the Chinese one marked -------------------------
    page.get_by_label("Search services").first.fill("食品")
    page.get_by_role("button", name="Search", exact=True).first.click()
    expect(page.get_by_role("status")).to_have_text('2 services found for "食品"')
    expect(page.get_by_role("link", name="Food business licence")).to_be_visible()
    marked = page.locator(".item-row-title").filter(has_text=chinese.name)
    expect(marked.locator("[lang='zh-Hans']")).to_have_text(chinese.name)
    expect(marked.locator(".zh-only")).to_have_text("(Chinese only)")
    screenshot(page, "search")

    # --- The item page: English name and summary, the guide marked as Chinese ---------
    page.get_by_role("link", name="Food business licence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Food business licence")
    expect(page.get_by_text("A licence to sell or serve food")).to_be_visible()
    expect(page.get_by_text("The service guide is published in Chinese only")).to_be_visible()
    expect(page.get_by_role("heading", name="Conditions for acceptance")).to_be_visible()
    screenshot(page, "item")

    # --- Apply and submit -------------------------------------------------------------
    page.get_by_role("link", name="Apply online").click()
    expect(page.get_by_role("heading", name="Apply online: Food business licence")).to_be_visible()
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fill in the application: Food business licence"
    )
    page.get_by_label(FORM, exact=True).set_input_files(str(form_pdf))
    page.get_by_label(PLAN, exact=True).set_input_files(str(plan_png))
    screenshot(page, "draft")
    page.get_by_role("button", name="Next: check and submit").click()
    expect(page.get_by_text("All required materials and answers are complete.")).to_be_visible()
    screenshot(page, "review")
    page.get_by_role("button", name="Submit", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Your application has been submitted.")
    expect(page.locator(".app-status .app-state")).to_have_text("Submitted")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    detail = page.url
    assert "/en/applications/" in detail

    # The record stays Chinese: the message is written in Chinese, as staff would see it.
    application = Application.objects.get(item=english)
    titles = set(application.applicant.notifications.values_list("title", flat=True))
    assert titles == {"您的申请已提交"}

    # --- Inbox: the message shown in English, its Chinese body marked ----------------
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My messages")
    page.get_by_role("link", name="Your application has been submitted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application has been submitted")
    expect(page.locator(".message-body [lang='zh-Hans']")).to_contain_text(application.number)
    screenshot(page, "inbox")

    # --- Back to the application's page -----------------------------------------------
    page.goto(detail)
    expect(page.get_by_role("heading", level=1)).to_have_text("Food business licence")
    expect(page.locator(".app-timeline")).to_contain_text("Submitted")
    screenshot(page, "detail")

    # --- And back to Chinese with the switch ------------------------------------------
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text(english.name)
