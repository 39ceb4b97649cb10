"""Issue #4 in a real browser: a citizen applies online from the item page (C5, C7, A10).

Log in → item guide → 在线申请 → 开始申请 → one upload per material → 核对并提交 → 我的办件.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.applications.factories import (
    PDF_BYTES,
    PNG_BYTES,
    GuideFactory,
    GuideMaterialFactory,
    ServiceItemFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"


def _item_with_two_materials():
    item = ServiceItemFactory(code="350100-SCJGJ-XK-0901", name="食品经营许可（网上申请测试）")
    guide = GuideFactory(item=item)
    GuideMaterialFactory(
        guide=guide,
        order=1,
        name="食品经营许可申请书",
        description="法定代表人签字并加盖公章。",
        originals=1,
        electronic_formats="pdf,png",
        max_size_mb=2,
    )
    GuideMaterialFactory(
        guide=guide,
        order=2,
        name="经营场所平面图",
        originals=0,
        copies=1,
        electronic_formats="pdf,png",
        max_size_mb=2,
    )
    return item


def test_citizen_applies_online_and_sees_it_in_my_applications(page, screenshot, tmp_path):
    item = _item_with_two_materials()
    UserFactory(full_name="林晓燕", phone="13912340009")
    form_pdf = tmp_path / "申请书.pdf"
    form_pdf.write_bytes(PDF_BYTES)
    plan_png = tmp_path / "平面图.png"
    plan_png.write_bytes(PNG_BYTES)

    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340009")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("林晓燕")

    page.goto(f"/items/{item.code}/")
    page.get_by_role("link", name="在线申请").click()
    expect(page.get_by_role("heading", name=f"在线申请：{item.name}")).to_be_visible()
    screenshot(page, "start")
    page.get_by_role("button", name="开始申请").click()

    expect(page.get_by_role("heading", name=f"填写申请：{item.name}")).to_be_visible()
    page.get_by_label("食品经营许可申请书", exact=True).set_input_files(str(form_pdf))
    page.get_by_label("经营场所平面图", exact=True).set_input_files(str(plan_png))
    screenshot(page, "draft")
    page.get_by_role("button", name="下一步：核对并提交").click()
    expect(page.get_by_text("所需材料和申请表内容已齐全")).to_be_visible()
    screenshot(page, "review")
    page.get_by_role("button", name="确认提交").click()

    expect(page.get_by_text("申请已提交")).to_be_visible()
    expect(page.locator(".app-status .app-state")).to_have_text("已提交")
    expect(page.get_by_role("link", name="申请书.pdf")).to_be_visible()
    screenshot(page, "detail")

    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="我的办件").click()
    row = page.locator("table.app-table tbody tr").filter(has_text=item.name)
    expect(row).to_have_count(1)
    expect(row.locator(".app-state")).to_have_text("已提交")
    screenshot(page, "my-applications")
