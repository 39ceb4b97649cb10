"""Issue #2 journey in a real browser: register → log out → log in by phone → inbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lanting#Xu2026"


def test_citizen_registers_logs_in_by_phone_and_reads_the_welcome_message(page, screenshot):
    """DOMAIN A1/A2: one identity, validated ID number, phone login; inbox shows unread."""
    page.goto("/accounts/register/")
    page.get_by_label("姓名").fill("林晓燕")
    page.get_by_label("手机号").fill("13912340001")
    page.get_by_label("身份证号码").fill("350102199001011230")  # wrong check digit
    page.get_by_label("设置密码").fill("12345678")  # and a weak password
    page.get_by_label("确认密码").fill("12345678")
    page.get_by_role("button", name="注册").click()
    # Every problem at once: the ID's wrong part, the password, the missing consent.
    expect(page.get_by_text("第18位")).to_be_visible()  # the wrong part is named
    expect(page.locator("#id_password1_error")).to_be_visible()
    expect(page.locator("#id_privacy_consent_error")).to_contain_text("个人信息保护告知")
    screenshot(page, "register-error")

    page.get_by_label("身份证号码").fill(make_resident_id(region="350102"))
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《个人信息保护告知》").check()
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("注册成功")).to_be_visible()
    expect(page.get_by_text("139****0001")).to_be_visible()  # masked on the profile
    screenshot(page, "profile")

    page.get_by_role("button", name="退出登录").click()
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340001")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    inbox_link = page.locator("a.inbox-link")
    expect(inbox_link).to_contain_text("1")  # the welcome message is unread
    inbox_link.click()
    expect(page.get_by_role("heading", name=re.compile("我的消息"))).to_be_visible()
    screenshot(page, "inbox")
    page.get_by_text("欢迎使用政务服务网").click()
    expect(page.get_by_role("heading", name="欢迎使用政务服务网")).to_be_visible()
    expect(page.locator("a.inbox-link .badge")).to_have_count(0)  # read now
    screenshot(page, "message")
