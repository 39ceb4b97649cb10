"""The page shell every public page extends (templates/base.html) and its stylesheet.

DOMAIN Q1: Simplified Chinese, skip link, landmarks, 长辈版/大字模式 with large text.
"""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import page_not_found, server_error

from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

# A page that extends base.html for anyone: the 404 page.
MISSING = "/no-such-page/"


def test_shell_for_anonymous_visitor(client):
    response = client.get(MISSING)

    html = response.content.decode()
    assert response.status_code == 404
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html  # no a11y class by default
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert '<span class="brand-name">市政务服务网</span>' in html
    for label in ("首页", "个人办事", "法人办事"):
        assert f">{label}</a>" in html
    assert f'href="{reverse("accounts:login")}?next=/no-such-page/">登录</a>' in html
    assert 'href="/accounts/register/">注册</a>' in html
    assert "退出" not in html
    assert "12345 政务服务便民热线" in html
    assert "主办单位" in html and "网站标识码" in html
    assert 'href="/static/css/portal.css"' in html
    assert "抱歉，您访问的页面不存在" in html


def test_shell_for_signed_in_user_shows_name_inbox_badge_and_logout(client, citizen):
    NotificationFactory.create_batch(3, recipient=citizen)
    NotificationFactory(recipient=citizen, read_at="2026-01-01T00:00:00+08:00")
    client.force_login(citizen)

    html = client.get(MISSING).content.decode()

    assert '<span class="user-name">王小明</span>' in html
    assert f'href="{reverse("notifications:list")}"' in html
    assert '<span class="badge badge-red" aria-hidden="true">3</span>' in html
    assert "（3 条未读）" in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert ">退出</button>" in html
    assert ">登录</a>" not in html


def test_no_badge_without_unread_messages(client, citizen):
    client.force_login(citizen)

    html = client.get(MISSING).content.decode()

    assert "badge-red" not in html


def test_a11y_toggle_sets_cookie_and_class(client):
    """DOMAIN Q1: the toggle is a POST form back to the same page; the mode is remembered."""
    html = client.get(MISSING).content.decode()
    assert f'action="{reverse("accessibility")}"' in html
    assert '<input type="hidden" name="next" value="/no-such-page/">' in html
    assert 'aria-pressed="false"' in html
    assert "长辈版/大字模式" in html

    response = client.post(reverse("accessibility"), {"next": MISSING})

    assert response.status_code == 302 and response.url == MISSING
    assert response.cookies["a11y"].value == "1"
    html = client.get(MISSING).content.decode()
    assert '<html lang="zh-CN" class="a11y">' in html
    assert 'aria-pressed="true"' in html

    client.post(reverse("accessibility"), {"next": MISSING})
    assert '<html lang="zh-CN">' in client.get(MISSING).content.decode()


def _request_with_messages():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_messages_are_announced_with_status_or_alert_roles():
    request = _request_with_messages()
    messages.success(request, "提交成功")
    messages.error(request, "提交失败")

    html = page_not_found(request, Http404()).content.decode()  # any page on base.html

    assert '<div class="message message-success" role="status">提交成功</div>' in html
    assert '<div class="message message-error" role="alert">提交失败</div>' in html


def test_stylesheet_is_served(client):
    response = client.get("/static/css/portal.css")

    css = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "html.a11y" in css
    assert '"Noto Sans CJK SC"' in css
    assert ":focus-visible" in css
    assert "http" not in css.replace("http://www.w3.org", "")  # no external assets


def test_server_error_page_is_chinese_and_standalone():
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-CN">' in html
    assert "抱歉，系统暂时无法处理您的请求" in html
    assert "12345 政务服务便民热线" in html
