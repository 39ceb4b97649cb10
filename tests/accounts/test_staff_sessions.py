"""Staff sessions end after inactivity and when the browser closes; citizens keep the normal
session (issue 16, hostile input; GB/T 22239 session management)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

COOKIE = django_settings.SESSION_COOKIE_NAME


@pytest.fixture(autouse=True)
def idle_limit(settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30


def test_staff_login_cookie_ends_with_the_browser(client, window_staff):
    response = client.post(
        reverse("staff-login"),
        {"username": window_staff.username, "password": DEFAULT_PASSWORD},
    )

    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert cookie.value
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


def test_citizen_login_cookie_keeps_its_normal_lifetime(client, citizen):
    response = client.post(
        reverse("accounts:login"), {"username": citizen.phone, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert int(cookie["max-age"]) == django_settings.SESSION_COOKIE_AGE
    assert not client.session.get_expire_at_browser_close()


def test_staff_session_idle_past_the_limit_is_sent_to_login(client, window_staff):
    start = timezone.now()
    queue = "/admin/applications/application/queue/"
    with time_machine.travel(start, tick=False):
        client.force_login(window_staff)
        assert client.get(queue).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(queue).status_code == 200  # still within the limit: kept alive
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(queue)

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('staff-login')}?next=%2Fadmin%2Fapplications%2Fapplication%2Fqueue%2F"
    )
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "已自动退出，请重新登录" in page.content.decode()


def test_idle_staff_api_call_is_refused_as_unsigned(client, window_staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(window_staff)
        assert client.get(reverse("api-application-queue")).status_code == 200
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        response = client.get(reverse("api-application-queue"))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_citizen_session_survives_the_same_idle_time(client, citizen):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(citizen)
        assert client.get(reverse("applications:list")).status_code == 200
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        response = client.get(reverse("applications:list"))

    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(citizen.pk)
