"""English names of departments, 一件事 and policies on the English edition (issue #17):
``name_en`` / ``title_en`` on /en/ pages, and where it is blank the Chinese name marked
"(Chinese only)" — the rule the catalogue's items follow. Chinese pages are unchanged."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from tests.catalogue.factories import (
    PublicBundleStepFactory,
    PublishedBundleFactory,
    published_item,
)
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db

DEPARTMENT_EN = "Municipal Administration for Market Regulation"
MARKED_DEPARTMENT = (
    '<span lang="zh-Hans">市市场监督管理局</span> <span class="zh-only">(Chinese only)</span>'
)


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """An /en/ request leaves English active in this thread (see test_english_edition)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def english_department(department):
    department.name_en = DEPARTMENT_EN
    department.save()
    return department


def _item(department, code="350100-EN-XK-0001"):
    return published_item("食品经营许可", item={"code": code, "competent_department": department})


def _get(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_english_pages_show_the_departments_english_name(client, english_department):
    item = _item(english_department)
    guide = _get(client, f"/en/items/{item.code}/")
    assert f'<p class="guide-subtitle">{DEPARTMENT_EN} · ' in guide
    assert f">{DEPARTMENT_EN}</a></dd>" in guide  # 实施主体 in the guide's facts
    assert "市市场监督管理局" not in guide
    page = _get(client, f"/en/departments/{english_department.code}/")
    assert f"<h1>{DEPARTMENT_EN}</h1>" in page
    assert f"<title>{DEPARTMENT_EN} - " in page
    search = _get(client, "/en/search/", q="食品")
    assert f'<a href="/en/departments/SCJGJ/">{DEPARTMENT_EN}</a>' in search
    home = _get(client, "/en/")
    assert f'<a href="/en/departments/SCJGJ/">{DEPARTMENT_EN}<span class="count">1</span>' in home


def test_a_department_without_an_english_name_is_marked_chinese_only(client, department):
    item = _item(department)
    assert MARKED_DEPARTMENT in _get(client, f"/en/items/{item.code}/")
    assert f"<h1>{MARKED_DEPARTMENT}</h1>" in _get(client, "/en/departments/SCJGJ/")
    assert MARKED_DEPARTMENT in _get(client, "/en/search/", q="食品")


def test_chinese_pages_show_the_chinese_department_name_unmarked(client, english_department):
    item = _item(english_department)
    for html in (
        _get(client, f"/items/{item.code}/"),
        _get(client, "/departments/SCJGJ/"),
        _get(client, "/search/", q="食品"),
    ):
        assert "市市场监督管理局" in html
        assert DEPARTMENT_EN not in html and "（仅中文）" not in html


@pytest.fixture
def bundles(english_department):
    item = _item(english_department)
    english = PublishedBundleFactory(
        code="YJS-EN-1",
        name="企业开办一件事",
        name_en="Starting a business",
        lead_department=english_department,
    )
    chinese = PublishedBundleFactory(
        code="YJS-EN-2", name="开饭店一件事", lead_department=english_department
    )
    for bundle in (english, chinese):
        PublicBundleStepFactory(bundle=bundle, item=item)
    return english, chinese


def test_english_pages_show_the_bundles_english_name(client, bundles):
    page = _get(client, "/en/bundles/YJS-EN-1/")
    assert "<h1>Starting a business</h1>" in page
    assert "<title>Starting a business - " in page
    assert f"{DEPARTMENT_EN}</p>" in page  # the lead department
    assert "企业开办一件事" not in page
    listed = _get(client, "/en/bundles/")
    assert '<span class="bundle-name">Starting a business</span>' in listed
    assert (
        '<span class="bundle-name"><span lang="zh-Hans">开饭店一件事</span> '
        '<span class="zh-only">(Chinese only)</span></span>'
    ) in listed
    assert '<span class="bundle-name">Starting a business</span>' in _get(client, "/en/")
    guide = _get(client, "/en/items/350100-EN-XK-0001/")
    assert '<a href="/en/bundles/YJS-EN-1/">Starting a business</a>' in guide


def test_a_bundle_without_an_english_name_is_marked_chinese_only(client, bundles):
    page = _get(client, "/en/bundles/YJS-EN-2/")
    assert (
        '<h1><span lang="zh-Hans">开饭店一件事</span> '
        '<span class="zh-only">(Chinese only)</span></h1>'
    ) in page
    assert "<title>开饭店一件事 - " in page


def test_chinese_bundle_pages_are_unchanged(client, bundles):
    page = _get(client, "/bundles/YJS-EN-1/")
    assert "<h1>企业开办一件事</h1>" in page
    assert "Starting a business" not in page and DEPARTMENT_EN not in page


@pytest.fixture
def policies(english_department):
    english = PolicyFactory(
        title="高新技术企业认定奖励",
        title_en="Award for recognised high-tech enterprises",
        department=english_department,
    )
    chinese = PolicyFactory(title="困难残疾人生活补贴", department=english_department)
    return english, chinese


def test_english_pages_show_the_policys_english_title(client, policies):
    english, chinese = policies
    page = _get(client, f"/en/policies/{english.code}/")
    assert "<h1>Award for recognised high-tech enterprises</h1>" in page
    assert "<title>Award for recognised high-tech enterprises - " in page
    assert f'<p class="pol-meta">{DEPARTMENT_EN} · ' in page
    assert "高新技术企业认定奖励" not in page
    listed = _get(client, "/en/policies/")
    assert (
        f'<a href="/en/policies/{english.code}/">Award for recognised high-tech enterprises</a>'
    ) in listed
    assert (
        f'<a href="/en/policies/{chinese.code}/"><span lang="zh-Hans">困难残疾人生活补贴</span> '
        '<span class="zh-only">(Chinese only)</span></a>'
    ) in listed
    assert f'<option value="SCJGJ">{DEPARTMENT_EN}</option>' in listed


def test_chinese_policy_pages_are_unchanged(client, policies):
    english, _ = policies
    page = _get(client, f"/policies/{english.code}/")
    assert "<h1>高新技术企业认定奖励</h1>" in page
    assert "Award for" not in page and DEPARTMENT_EN not in page
