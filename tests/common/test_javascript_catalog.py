"""The JavaScript catalogue (issue #16): our scripts' strings in the page's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def test_the_english_catalogue_carries_the_scripts_english(client):
    with translation.override("en"):
        url = reverse("javascript-catalog")
    assert url == "/en/jsi18n/"
    body = client.get(url).content.decode()
    assert "No data yet" in body and "Number %(number)s, please go to window %(window)s" in body


def test_the_chinese_catalogue_defines_gettext_and_keeps_the_chinese(client):
    with translation.override("zh-hans"):
        url = reverse("javascript-catalog")
    assert url == "/jsi18n/"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "django.gettext" in body and "No data yet" not in body


def test_the_dashboard_page_loads_the_catalogue(client, login, supervisor):
    login(supervisor)
    page = client.get(reverse("dashboard:home")).content.decode()
    catalogue = page.find('src="/jsi18n/"')
    assert 0 <= catalogue < page.find("js/dashboard.js")
