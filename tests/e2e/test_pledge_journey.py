"""Issue #11, done when: the citizen's pledge journey to the downloaded result, and the
result's verification page turning to revoked after a false pledge (DOMAIN P1–P3a, A16).

The citizen opens the item, takes 告知承诺办理, reads the pledge and liability text, signs
with their name, uploads what is still asked (never the pledged certificate) and submits;
the approver decides directly in the admin; the citizen downloads the licence and checks it
(真实有效). The inspector finds the pledge unkept, orders rectification, finds it still
unkept and revokes the decision: the same verification page then says 已撤销.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.applications.models import Application
from apps.pledges.models import Pledge
from tests.accounts.factories import UserFactory
from tests.applications.factories import PDF_BYTES, PNG_BYTES
from tests.e2e.conftest import reload_until
from tests.pledges.factories import CERTIFICATE, LIABILITY_TEXT, PLEDGE_TEXT, pledge_guide

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"


def _staff(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_pledge_sign_approve_download_then_revoke(
    page, browser, live_server, document_worker, screenshot, tmp_path, department, approver
):
    guide = pledge_guide(department)
    item = guide.item
    UserFactory(full_name="林晓燕", phone="13912340031", role=Role.CITIZEN)
    form_pdf, plan_png = tmp_path / "申请书.pdf", tmp_path / "平面图.png"
    form_pdf.write_bytes(PDF_BYTES)
    plan_png.write_bytes(PNG_BYTES)

    # --- The citizen signs the pledge (P1, P3a) ------------------------------------------
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340031")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"/items/{item.code}/")
    panel = page.get_by_test_id("pledge-route")
    expect(panel).to_contain_text("本事项可以告知承诺方式办理")
    screenshot(page, "item-offer")
    panel.get_by_role("link", name="告知承诺办理").click()
    expect(page.get_by_test_id("pledge-text")).to_contain_text(PLEDGE_TEXT)
    expect(page.get_by_test_id("pledge-liability")).to_contain_text(LIABILITY_TEXT)
    page.get_by_label("请输入您的姓名以确认上述承诺").fill("林晓燕")
    screenshot(page, "pledge-page")
    page.get_by_role("button", name="签署承诺并继续申请").click()

    # --- The rest of the materials, never the pledged certificate (P6) -------------------
    expect(page.get_by_label(CERTIFICATE, exact=True)).to_have_count(0)
    page.get_by_label("食品经营许可申请书", exact=True).set_input_files(str(form_pdf))
    page.get_by_label("场所平面图", exact=True).set_input_files(str(plan_png))
    page.get_by_role("button", name="下一步：核对并提交").click()
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator(".app-status .app-state")).to_have_text("已提交")
    detail = page.url
    pledge = Pledge.objects.get(application__item=item)

    # --- The approver decides directly (P2) -----------------------------------------------
    boss = _staff(browser, live_server, approver.username)
    boss.goto(f"/admin/pledges/pledge/{pledge.pk}/decide/")
    boss.get_by_role("button", name="形式审查通过，直接作出准予许可决定").click()
    expect(boss.locator(".messagelist")).to_contain_text("准予许可")

    # --- The citizen downloads the licence and checks it (A16) ----------------------------
    page.goto(detail)
    expect(page.locator(".app-status .app-state")).to_have_text("准予许可/办结")
    expect(page.get_by_test_id("pledge-case")).to_contain_text("待核查")
    download = reload_until(page, lambda p: p.get_by_role("link", name="下载 电子证照/结果文书"))
    licence_pdf = page.request.get(download.get_attribute("href"))
    assert licence_pdf.body().startswith(b"%PDF")
    screenshot(page, "citizen-result")
    licence = page.locator("li").filter(has_text="电子证照").first
    verify_url = licence.get_by_role("link", name="核验真伪").get_attribute("href")
    page.goto(verify_url)
    expect(page.get_by_text("真实有效")).to_be_visible()

    # --- Verification: not compliant, rectify, still not: revoke (P3, P3a) ----------------
    task_id = Application.objects.get(pk=pledge.application_id).pledge_verification.pk
    for items in ("配置冷藏设施", ""):
        boss.goto(f"/admin/pledges/verificationtask/{task_id}/check/")
        boss.get_by_label("不符合承诺").check()
        boss.get_by_label("核查情况").fill("现场无冷藏设施，与承诺不符。")
        boss.get_by_label("核查地点").fill("鼓楼区五四路1号")
        if items:
            boss.get_by_label("整改事项（每行一项，首次不符合时必填）").fill(items)
        boss.get_by_role("button", name="提交").click()
        expect(boss.locator(".messagelist")).to_contain_text("核查结论已记录")
    boss.goto(f"/admin/pledges/verificationtask/{task_id}/revoke/")
    boss.get_by_label("撤销理由").fill("整改期满仍无冷藏设施，承诺不实")
    boss.get_by_role("button", name="提交").click()
    expect(boss.locator(".messagelist")).to_contain_text("许可决定已撤销")
    screenshot(boss, "revoked-task")

    # --- The same verification page now says revoked ---------------------------------------
    page.goto(verify_url)
    expect(page.get_by_text("已撤销", exact=True)).to_be_visible()
    expect(page.get_by_text("真实有效")).to_have_count(0)
    screenshot(page, "verify-revoked")
