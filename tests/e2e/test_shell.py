"""The page shell in a real browser: Chinese text, landmarks, 长辈版/大字模式 (DOMAIN Q1)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _font_px(page, selector: str = "body") -> float:
    size = page.eval_on_selector(selector, "el => getComputedStyle(el).fontSize")
    return float(size.removesuffix("px"))


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_home_shell_and_large_text_mode(page, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto("/")

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "市政务服务网" in page.locator("header").inner_text()
    for label in ("首页", "个人办事", "法人办事"):
        assert (
            page.get_by_role("navigation", name="主导航")
            .get_by_role("link", name=label)
            .is_visible()
        )
    assert "12345 政务服务便民热线" in page.locator("footer").inner_text()
    assert "网站标识码" in page.locator("footer").inner_text()
    stylesheet = page.request.get("/static/css/portal.css")
    assert stylesheet.status == 200
    normal = _font_px(page)
    assert normal == 16
    screenshot(page, "home")

    # The skip link is the first thing the keyboard reaches and becomes visible.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    screenshot(page, "skip-link-focused")

    toggle = page.get_by_role("button", name="长辈版/大字模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    with page.expect_navigation():
        toggle.click()

    assert "a11y" in (page.locator("html").get_attribute("class") or "")
    large = _font_px(page)
    assert large >= 20 and large > normal
    assert _font_px(page, "main h1") > 28
    assert page.get_by_role("button", name="长辈版/大字模式").get_attribute("aria-pressed") == (
        "true"
    )
    screenshot(page, "home-a11y")

    with page.expect_navigation():
        page.get_by_role("button", name="长辈版/大字模式").click()
    assert _font_px(page) == normal


def test_home_on_a_phone(page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")

    # Nothing wider than the screen: no sideways scrolling on a phone.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert page.get_by_role("button", name="长辈版/大字模式").is_visible()
    screenshot(page, "home-mobile")

    with page.expect_navigation():
        page.get_by_role("button", name="长辈版/大字模式").click()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, "home-mobile-a11y")


def test_signed_in_header_and_inbox(page, live_server, screenshot):
    user = UserFactory(full_name="王小明")
    NotificationFactory(
        recipient=user,
        title="您的“个体工商户设立登记”申请已受理",
        body="受理编号 SL2026110001，承诺 3 个工作日内办结。",
    )
    NotificationFactory(recipient=user, title="营业执照将于 30 日后到期，请及时办理延续")
    NotificationFactory(recipient=user, title="材料补正已收到", read_at="2026-11-01T09:00:00+08:00")
    _sign_in(page, live_server, user)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/inbox/")

    topbar = page.locator(".topbar").inner_text()
    assert "王小明" in topbar and "退出" in topbar and "登录" not in topbar
    badge = page.locator(".inbox-link .badge")
    assert badge.inner_text() == "2"
    unread_title = page.locator(".inbox-item.is-unread .inbox-title").first
    assert unread_title.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    screenshot(page, "inbox")

    page.get_by_role("link", name="营业执照将于 30 日后到期").click()
    assert page.locator("main h1").inner_text().startswith("营业执照")
    assert page.locator(".inbox-link .badge").inner_text() == "1"
    screenshot(page, "inbox-detail")

    page.goto("/inbox/")
    with page.expect_navigation():
        page.get_by_role("button", name="全部标为已读").click()
    assert page.get_by_role("status").inner_text() == "已将 1 条消息标为已读。"
    assert page.locator(".inbox-link .badge").count() == 0
    screenshot(page, "inbox-all-read")
