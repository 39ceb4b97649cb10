"""长辈版/大字模式 remembered per user, on any browser (DOMAIN Q1; issue #17)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import user_accessible_mode_set
from apps.common import hooks

LARGE = '<html lang="zh-CN" class="a11y">'
NORMAL = '<html lang="zh-CN">'


def _home(client: Client) -> str:
    return client.get(reverse("home")).content.decode()


def test_large_text_follows_the_signed_in_user_to_a_fresh_browser(citizen):
    """DOMAIN Q1: switched on in one browser, the next browser shows large text at once."""
    first = Client()
    first.force_login(citizen)
    first.post(reverse("accessibility"), {"next": reverse("home")})

    fresh = Client()
    fresh.force_login(citizen)
    html = _home(fresh)

    assert LARGE in html
    assert 'aria-pressed="true"' in html
    citizen.refresh_from_db()
    assert citizen.accessible_mode is True


def test_switching_off_in_one_browser_turns_it_off_in_the_other(citizen):
    """DOMAIN Q1: the stored choice wins over an older browser cookie."""
    laptop, phone = Client(), Client()
    laptop.force_login(citizen)
    phone.force_login(citizen)
    laptop.post(reverse("accessibility"), {"next": "/"})
    assert LARGE in _home(phone)

    phone.post(reverse("accessibility"), {"next": "/"})

    assert NORMAL in _home(laptop)  # the laptop still holds the cookie "1"
    assert laptop.cookies["a11y"].value == "1"


def test_a_choice_made_before_signing_in_still_counts_until_the_user_chooses(client, citizen):
    """DOMAIN Q1: a visitor who enlarged the text does not lose it by signing in."""
    client.post(reverse("accessibility"), {"next": "/"})
    client.force_login(citizen)

    assert LARGE in _home(client)
    citizen.refresh_from_db()
    assert citizen.accessible_mode is None


def test_anonymous_visitors_keep_the_cookie_only(client, db):
    """DOMAIN Q1: without an account the browser remembers the choice; nothing is stored."""
    client.post(reverse("accessibility"), {"next": "/"})

    assert LARGE in _home(client)
    assert not User.objects.filter(accessible_mode__isnull=False).exists()


def test_the_service_records_the_change_in_the_user_history(citizen):
    user_accessible_mode_set(user=citizen, enabled=True)

    latest = citizen.history.latest()
    assert latest.accessible_mode is True
    assert user_accessible_mode_set in hooks.accessible_mode_savers
