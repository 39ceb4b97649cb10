"""Admin: read-only delivery record, filters, search by name or phone, no clear phone."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = "/admin/notifications/notification/"
PHONE = "13987654321"


@pytest.fixture
def admin_client_logged_in(client, system_admin):
    client.force_login(system_admin)
    return client


@pytest.fixture
def recipient(db):
    return UserFactory(full_name="孙阿姨", phone=PHONE)


def test_list_with_filters_shows_no_phone(admin_client_logged_in, recipient):
    NotificationFactory(recipient=recipient, title="办件已受理")

    response = admin_client_logged_in.get(URL, {"channel": "inbox", "status": "sent"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "办件已受理" in html and "孙阿姨" in html
    assert PHONE not in html


def test_search_by_name_and_by_full_phone(admin_client_logged_in, recipient):
    NotificationFactory(recipient=recipient, title="孙阿姨的消息")
    NotificationFactory(title="别人的消息")

    by_name = admin_client_logged_in.get(URL, {"q": "孙阿姨"}).content.decode()
    by_phone = admin_client_logged_in.get(URL, {"q": PHONE}).content.decode()

    for html in (by_name, by_phone):
        assert "孙阿姨的消息" in html
        assert "别人的消息" not in html
    # The number is only echoed back where the admin typed it: search box and filter links.
    echoed = (
        by_phone.replace(f'value="{PHONE}"', "")
        .replace(f"q={PHONE}", "")
        .replace(f"q%3D{PHONE}", "")
    )
    assert PHONE not in echoed


def test_detail_is_read_only(admin_client_logged_in, recipient):
    notification = NotificationFactory(recipient=recipient)

    view = admin_client_logged_in.get(f"{URL}{notification.pk}/change/")
    post = admin_client_logged_in.post(f"{URL}{notification.pk}/change/", {"title": "改"})
    add = admin_client_logged_in.get(f"{URL}add/")

    assert view.status_code == 200
    assert PHONE not in view.content.decode()
    assert post.status_code == 403
    assert add.status_code == 403
