"""The English edition (issue #17): citizens' pages under /en/, Chinese at the bare address
whatever the browser asks for, a remembered switch, staff pages Chinese only, catalogue items
in English where the catalogue has an English name and marked Chinese where it has not."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from apps.common.context_processors import portal
from tests.catalogue.factories import published_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """The test client runs LocaleMiddleware in this thread: an /en/ request leaves English
    active, and a later test's reverse() would then answer /en/ addresses."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def items(department):
    english = published_item(
        "食品经营许可",
        item={
            "code": "350100-EN-XK-0001",
            "name_en": "Food business licence",
            "summary_en": "A licence to sell or serve food.",
            "competent_department": department,
        },
    )
    chinese = published_item(
        "食品经营许可变更",
        item={"code": "350100-EN-XK-0002", "competent_department": department},
    )
    return english, chinese


def test_a_browser_asking_for_english_gets_chinese_at_the_bare_address(client):
    """Accept-Language never switches a Chinese user silently: the prefix decides."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN"' in html
    assert "跳到主要内容" in html
    assert "Skip to main content" not in html


def test_the_english_home_page_is_english_with_lang_en(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html
    assert "Search services" in html
    assert "跳到主要内容" not in html
    # The switch offers the same page in Chinese.
    assert 'name="next" value="/"' in html
    assert ">中文</button>" in html


def test_the_switch_is_remembered_for_the_bare_address(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    again = client.get("/")
    assert again.status_code == 302 and again["Location"] == "/en/"
    # Back to Chinese: the bare address is Chinese again.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/en/"})
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-CN"' in response.content.decode()


def test_links_on_english_pages_stay_english(client, items):
    english, _ = items
    html = client.get("/en/search/", {"q": "食品"}).content.decode()
    assert f'href="/en/items/{english.code}/"' in html
    assert 'value="/search/?q=' in html  # the switch keeps the query


def test_an_item_shows_its_english_name_and_summary(client, items):
    english, _ = items
    html = client.get(f"/en/items/{english.code}/").content.decode()
    assert "<h1>Food business licence</h1>" in html
    assert "A licence to sell or serve food." in html
    assert "Food business licence - Service guide" in html  # <title>
    # The guide itself is Chinese: marked as such for screen readers.
    assert '<span lang="zh-Hans">申请人具有完全民事行为能力。</span>' in html
    assert "published in Chinese only" in html


def test_an_item_without_an_english_name_is_marked_chinese_only(client, items):
    _, chinese = items
    html = client.get(f"/en/items/{chinese.code}/").content.decode()
    assert (
        '<h1><span lang="zh-Hans">食品经营许可变更</span> '
        '<span class="zh-only">(Chinese only)</span></h1>'
    ) in html
    search = client.get("/en/search/", {"q": "食品"}).content.decode()
    assert "Food business licence" in search
    assert "(Chinese only)" in search


def test_chinese_pages_show_the_chinese_name_unmarked(client, items):
    english, _ = items
    html = client.get(f"/items/{english.code}/").content.decode()
    assert "<h1>食品经营许可</h1>" in html
    assert "Food business licence" not in html
    assert "（仅中文）" not in html and "(Chinese only)" not in html


def test_staff_pages_have_no_english_edition(client, login, window_staff):
    assert client.get("/en/dashboard/").status_code == 404
    assert client.get("/en/admin/").status_code == 404
    login(window_staff)
    response = client.get("/en/halls/desk/")
    assert response.status_code == 302 and response["Location"] == "/halls/desk/"
    html = client.get("/halls/desk/").content.decode()
    assert '<html lang="zh-CN"' in html
    assert 'action="/i18n/setlang/"' not in html  # no switch on a staff page


def test_a_chosen_english_edition_never_reaches_the_staff_console(client, login, window_staff):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    login(window_staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


def test_the_admin_site_has_no_other_edition(client, login, window_staff):
    """The admin lies outside the i18n patterns: no address in English is offered (nor
    worked out) for its pages."""
    login(window_staff)
    for path in ("/admin/", reverse("admin:applications_application_queue")):
        response = client.get(path)
        assert response.status_code == 200
        assert response.context["other_edition_url"] is None


def test_the_verification_page_has_an_english_cover_line(client):
    response = client.get("/en/verify/no-such-token/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Document verification" in html
    assert "the Chinese text is the legally valid one" in html
    chinese = client.get("/verify/no-such-token/").content.decode()
    assert "legally valid" not in chinese and "电子文书核验" in chinese


def test_the_shell_links_follow_the_edition_and_the_script_prefix(client, rf):
    """base.html's links are reversed once per language and script prefix (issue 16): each
    edition links to its own pages, and a site served under a prefix links under it."""
    chinese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'href="/policies/"' in chinese and 'href="/en/policies/"' not in chinese
    assert 'href="/en/policies/"' in english and 'action="/accessibility"' in english
    prefix = get_script_prefix()
    with translation.override(settings.LANGUAGE_CODE):
        set_script_prefix("/portal/")
        try:
            assert portal(rf.get("/"))["shell_urls"]["policies"] == "/portal/policies/"
        finally:
            set_script_prefix(prefix)
        assert portal(rf.get("/"))["shell_urls"]["policies"] == "/policies/"
    with translation.override("en"):
        assert portal(rf.get("/"))["shell_urls"]["policies"] == "/en/policies/"
