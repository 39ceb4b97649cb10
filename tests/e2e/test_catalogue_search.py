"""A citizen finds 食品经营许可 from the home page and reads its guide (C3, C6)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.catalogue.models import GuideMaterial, ServiceTarget, Topic
from tests.accounts.factories import DepartmentFactory
from tests.catalogue.factories import (
    PublicBundleStepFactory,
    PublicGuideMaterialFactory,
    PublicGuideStepFactory,
    PublicTopicFactory,
    PublishedBundleFactory,
    SpecialProcedureFactory,
    published_item,
)

pytestmark = pytest.mark.e2e


def _seed_catalogue():
    market = DepartmentFactory(code="SCJGJ", name="市市场监督管理局", short_name="市场监管")
    police = DepartmentFactory(code="GAJ", name="市公安局", short_name="公安")
    for code, name, kind, order in [
        ("birth", "出生", Topic.Kind.LIFE_EVENT, 1),
        ("school", "入学", Topic.Kind.LIFE_EVENT, 2),
        ("employment_life", "就业", Topic.Kind.LIFE_EVENT, 3),
        ("marriage", "结婚", Topic.Kind.LIFE_EVENT, 4),
        ("retirement", "退休", Topic.Kind.LIFE_EVENT, 5),
        ("company_open", "开办", Topic.Kind.COMPANY_STAGE, 1),
        ("company_change", "变更", Topic.Kind.COMPANY_STAGE, 2),
        ("company_close", "注销", Topic.Kind.COMPANY_STAGE, 3),
    ]:
        PublicTopicFactory(code=code, name=name, kind=kind, order=order)
    company_open = Topic.objects.get(code="company_open")

    food = published_item(
        "食品经营许可",
        keywords="食品经营许可证,开饭店,餐饮",
        item={
            "code": "350100-SCJGJ-XK-0001",
            "competent_department": market,
            "target": ServiceTarget.LEGAL_PERSON,
            "legal_basis": (
                "《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。"
            ),
            "topics": [company_open],
        },
        promised_time_limit_days=5,
        legal_time_limit_days=20,
        result_name="食品经营许可证",
        tongban_scope="city",
        mobile_available=True,
    )
    guide = food.guides.get()
    PublicGuideMaterialFactory(guide=guide, order=1, name="食品经营许可申请书", originals=1)
    PublicGuideMaterialFactory(
        guide=guide,
        order=2,
        name="营业执照",
        originals=0,
        reuse=GuideMaterial.Reuse.E_LICENCE,
        e_licence_type="营业执照电子证照",
    )
    PublicGuideMaterialFactory(
        guide=guide,
        order=3,
        name="与食品经营相适应的主要设备设施布局、操作流程等文件",
        copies=1,
    )
    PublicGuideMaterialFactory(
        guide=guide,
        order=4,
        name="食品安全自查、从业人员健康管理等食品安全管理制度",
        importance=GuideMaterial.Importance.TOLERABLE,
        supplement_days=7,
        copies=1,
    )
    for order, (name, days) in enumerate(
        [("申请", None), ("受理", 1), ("审查", 3), ("决定", 1), ("送达", None)], start=1
    ):
        PublicGuideStepFactory(guide=guide, order=order, name=name, time_limit_days=days)
    SpecialProcedureFactory(guide=guide, time_limit_days=10)

    for name, keywords in [
        ("食品生产许可", "SC证,生产许可证"),
        ("食品经营许可变更", ""),
        ("小作坊食品生产登记", "食品小作坊"),
    ]:
        published_item(name, keywords=keywords, item={"competent_department": market})
    passport = published_item(
        "普通护照签发", keywords="护照,出国", item={"competent_department": police}
    )
    bundle = PublishedBundleFactory(code="YJS-QYKB", name="企业开办一件事", lead_department=market)
    PublicBundleStepFactory(bundle=bundle, item=food)
    PublicBundleStepFactory(bundle=bundle, item=passport, stage=2)
    return food


def test_citizen_searches_food_and_reads_the_guide(page, screenshot):
    _seed_catalogue()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/")
    expect(page.get_by_role("heading", name="个人办事")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("searchbox", name="搜索办事事项").fill("食品")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator(".item-row")
    expect(results).to_have_count(4)
    expect(results.first).to_contain_text("食品经营许可")
    expect(page.locator("mark").first).to_have_text("食品")
    screenshot(page, "results")

    page.get_by_role("link", name="食品经营许可", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("食品经营许可")
    table = page.locator("table.materials-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("食品经营许可申请书")
    expect(table).to_contain_text("可容缺")
    expect(page.locator("#time-limits")).to_contain_text("法定办结时限")
    expect(page.locator("#time-limits")).to_contain_text("20 个工作日")
    expect(page.locator("#time-limits")).to_contain_text("5 个工作日")
    expect(page.get_by_role("link", name="在线申请")).to_have_attribute(
        "href", "/applications/new/350100-SCJGJ-XK-0001/"
    )
    screenshot(page, "item")


def test_no_result_help_bundle_stages_and_phone_layout(page, screenshot):
    """The fruitless search explains what to try; a bundle shows its stages (C8); the guide
    reads on a phone and in 长辈版 large-text mode (Q1)."""
    food = _seed_catalogue()

    page.goto("/search/?q=火星移民")
    expect(page.get_by_role("status")).to_contain_text("没有找到与“火星移民”相关的事项")
    expect(page.get_by_role("status").get_by_role("link", name="12345")).to_be_visible()
    screenshot(page, "no-results")

    page.goto("/bundles/YJS-QYKB/")
    expect(page.locator(".stage")).to_have_count(2)
    screenshot(page, "bundle")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/items/{food.code}/")
    expect(page.get_by_role("link", name="在线申请")).to_be_visible()
    assert _sideways_overflow(page) <= 0
    screenshot(page, "item-phone")

    page.get_by_role("button", name="长辈版/大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("a11y"))
    assert _sideways_overflow(page) <= 0
    screenshot(page, "item-phone-a11y")


def _sideways_overflow(page) -> int:
    """Pixels the page is wider than the screen (the materials table must scroll in place)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
