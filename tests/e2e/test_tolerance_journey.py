"""Issue #10, done when: a tolerant acceptance end to end in a real browser (T1–T3).

A citizen applies with the one tolerable material missing, reads and signs the pledge; the
window accepts tolerantly on it; the approver decides while the supplement is outstanding,
so the result is withheld ("结果待容缺材料补齐后发放"); the citizen uploads the supplement,
the window accepts it, and the result is released for download.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.applications.models import Application
from tests.accounts.factories import UserFactory
from tests.applications.factories import (
    PDF_BYTES,
    PNG_BYTES,
    GuideFactory,
    GuideMaterialFactory,
    ServiceItemFactory,
)
from tests.e2e.conftest import reload_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"
FORM, PLAN = "食品经营许可申请书", "经营场所平面图"


@pytest.fixture
def item(department):
    item = ServiceItemFactory(
        code="350100-SCJGJ-XK-1010", name="食品经营许可（容缺）", competent_department=department
    )
    guide = GuideFactory(item=item, tolerance_note="平面图可容缺，受理后 3 个工作日内补齐。")
    GuideMaterialFactory(guide=guide, order=1, name=FORM, electronic_formats="pdf")
    GuideMaterialFactory(
        guide=guide,
        order=2,
        name=PLAN,
        electronic_formats="pdf,png",
        importance="tolerable",
        supplement_days=3,
    )
    return item


def _staff_login(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_apply_pledge_accept_supply_check_release(
    page, browser, live_server, document_worker, screenshot, tmp_path, item, window_staff, approver
):
    UserFactory(full_name="林晓燕", phone="13912341010", role=Role.CITIZEN)
    form_pdf, plan_png = tmp_path / "申请书.pdf", tmp_path / "平面图.png"
    form_pdf.write_bytes(PDF_BYTES)
    plan_png.write_bytes(PNG_BYTES)

    # --- The citizen applies with the tolerable material missing -----------------------
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912341010")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"/items/{item.code}/")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("button", name="开始申请").click()
    page.get_by_label(FORM, exact=True).set_input_files(str(form_pdf))
    page.get_by_role("button", name="下一步：核对并提交").click()
    page.get_by_role("button", name="仍然提交").click()
    expect(page.locator(".app-status .app-state")).to_have_text("已提交")
    application = Application.objects.get(item=item)
    detail = page.url

    # --- ... reads the pledge and signs it with their name (T1) ------------------------
    panel = page.locator("#tolerance")
    expect(panel).to_contain_text("受理之日起 3 个工作日内补齐")
    screenshot(page, "pledge")
    panel.get_by_label("本人已阅读并同意以上容缺受理承诺").check()
    panel.get_by_label("签署人姓名（须与申请人一致）").fill("林晓燕")
    panel.get_by_role("button", name="签署承诺书").click()
    expect(page.locator("#tolerance")).to_contain_text("林晓燕 已于")

    # --- The window accepts tolerantly on the online pledge (A4(4)) --------------------
    staff = _staff_login(browser, live_server, window_staff.username)
    console = f"/admin/applications/application/{application.pk}/change/"
    staff.goto(console)
    staff.locator("#tolerance").get_by_role("button", name="容缺受理").click()
    expect(staff.locator(".messagelist")).to_contain_text("已容缺受理")
    staff.locator("#action-start_review").get_by_role("button", name="开始审查").click()

    # --- The approver decides while the supplement is outstanding ----------------------
    boss = _staff_login(browser, live_server, approver.username)
    boss.goto(console)
    boss.locator("#action-approve").get_by_role("button", name="准予", exact=True).click()
    expect(boss.locator(".messagelist")).to_contain_text("准予")

    # --- The citizen sees the result withheld and uploads the supplement ---------------
    page.goto(detail)
    panel = page.locator("#tolerance")
    expect(panel).to_contain_text("结果待容缺材料补齐后发放")
    expect(panel).to_contain_text("待补齐")
    expect(page.locator(".app-doc-withheld").first).to_contain_text("结果待容缺材料补齐后发放")
    screenshot(page, "withheld")
    panel.get_by_label(f"补交文件：{PLAN}").set_input_files(str(plan_png))
    panel.get_by_role("button", name="提交").click()
    expect(page.locator("#tolerance")).to_contain_text("已提交待核验")

    # --- The window checks it and accepts it -------------------------------------------
    staff.goto(console)
    expect(staff.locator("#tolerance")).to_contain_text("已提交待核验")
    screenshot(staff, "staff-check")
    staff.locator("#tolerance").get_by_role("button", name="核验通过").click()
    expect(staff.locator(".messagelist")).to_contain_text("核验通过")

    # --- The result is released --------------------------------------------------------
    page.goto(detail)
    expect(page.locator("#tolerance")).to_contain_text("已补齐")
    expect(page.locator("#tolerance")).not_to_contain_text("结果待容缺材料补齐后发放")
    result = reload_until(page, lambda p: p.get_by_role("link", name="下载 电子证照/结果文书"))
    assert result.count() == 1
    screenshot(page, "released")
    body = page.request.get(result.get_attribute("href")).body()
    assert body.startswith(b"%PDF")
