"""Issue #4, done when: the whole journey of one application in a real browser.

A citizen applies for an item with two materials; window staff ask for a correction (A5);
the citizen corrects; staff accept (A4) and the citizen downloads the 受理通知书 and checks
it at its QR verification URL; the approver approves (A7a/A16); the citizen downloads the
result. Acceptance is on Friday 2025-09-26, so the 5-working-day clock runs across the
National Day holiday (10-01..10-08 off; Sunday 09-28 worked): due 2025-10-10 (A7).
"""

from __future__ import annotations

import datetime
import subprocess
import zoneinfo

import pytest
import time_machine
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

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSWORD = "Portal#2026"
FORM, PLAN = "食品经营许可申请书", "经营场所平面图"


def _at(day: int, hour: int = 10, month: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def item(department):
    item = ServiceItemFactory(
        code="350100-SCJGJ-XK-0906",
        name="食品经营许可（全流程）",
        competent_department=department,
    )
    guide = GuideFactory(item=item, promised_time_limit_days=5, legal_time_limit_days=20)
    for order, name in enumerate((FORM, PLAN), start=1):
        GuideMaterialFactory(guide=guide, order=order, name=name, electronic_formats="pdf,png")
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


def _citizen_login(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340021")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("林晓燕")


def _pdf_text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_apply_correct_accept_verify_approve_across_national_day(
    page,
    browser,
    live_server,
    document_worker,
    screenshot,
    tmp_path,
    item,
    department,
    window_staff,
    approver,
):
    UserFactory(full_name="林晓燕", phone="13912340021", role=Role.CITIZEN)
    form_pdf, plan_png = tmp_path / "申请书.pdf", tmp_path / "平面图.png"
    form_pdf.write_bytes(PDF_BYTES)
    plan_png.write_bytes(PNG_BYTES)

    with time_machine.travel(_at(24), tick=True) as clock:
        # --- Citizen applies online (C5, C7) ------------------------------------------
        _citizen_login(page)
        page.goto(f"/items/{item.code}/")
        page.get_by_role("link", name="在线申请").click()
        page.get_by_role("button", name="开始申请").click()
        page.get_by_label(FORM, exact=True).set_input_files(str(form_pdf))
        page.get_by_label(PLAN, exact=True).set_input_files(str(plan_png))
        page.get_by_role("button", name="下一步：核对并提交").click()
        page.get_by_role("button", name="确认提交").click()
        expect(page.locator(".app-status .app-state")).to_have_text("已提交")
        application = Application.objects.get(item=item)
        citizen_detail = page.url

        # --- Window staff: one-time correction notice (A5), chosen from the guide (C7) --
        clock.move_to(_at(25))
        staff = _staff_login(browser, live_server, window_staff.username)
        staff.goto(f"/admin/applications/application/{application.pk}/change/")
        correction = staff.locator("#action-request_correction")
        correction.get_by_label(FORM, exact=True).check()
        material_id = application.guide.materials.get(name=FORM).pk
        correction.locator(f"[name=reason_{material_id}]").fill("缺少法定代表人签字。")
        correction.get_by_role("button", name="一次性告知补正").click()
        expect(staff.locator(".messagelist")).to_contain_text("补正")
        screenshot(staff, "staff-correction")

        # --- Citizen answers the correction ------------------------------------------
        page.goto(citizen_detail)
        expect(page.locator("#correction")).to_contain_text("缺少法定代表人签字")
        page.locator("#correction").get_by_label(FORM, exact=True).set_input_files(str(form_pdf))
        page.get_by_role("button", name="提交补正").click()
        expect(page.locator(".app-status .app-state")).to_have_text("已提交")

        # --- Staff accept on Friday 2025-09-26: the clock starts (A4, A7) -------------
        clock.move_to(_at(26))
        staff.reload()
        staff.locator("#action-accept").get_by_role("button", name="受理", exact=True).click()
        expect(staff.locator(".messagelist")).to_contain_text("受理")

        # --- Citizen downloads the 受理通知书 and verifies it by its QR URL (A4, A16) --
        page.reload()
        expect(page.locator(".app-status .app-state")).to_have_text("已受理")
        expect(page.locator(".app-status")).to_contain_text("2025-10-10")  # across 国庆
        # The PDF is rendered by the worker after the acceptance commits ("生成中" first).
        download = reload_until(page, lambda p: p.get_by_role("link", name="下载 受理通知书"))
        notice = page.locator("li").filter(has_text="受理通知书").first
        notice_pdf = page.request.get(download.get_attribute("href"))
        assert notice_pdf.headers["content-type"] == "application/pdf"
        text = _pdf_text(notice_pdf.body(), tmp_path, "acceptance")
        assert "受理通知书" in text and department.name in text
        page.goto(notice.get_by_role("link", name="核验真伪").get_attribute("href"))
        expect(page.get_by_text("真实有效")).to_be_visible()
        screenshot(page, "verify")

        # --- Review and approval by the department approver on 2025-10-09 ------------
        clock.move_to(_at(9, month=10))
        # Two weeks on, the window's session has expired too: sign in again.
        staff = _staff_login(browser, live_server, window_staff.username)
        staff.goto(f"/admin/applications/application/{application.pk}/change/")
        staff.locator("#action-start_review").get_by_role("button", name="开始审查").click()
        expect(staff.locator(".messagelist")).to_contain_text("开始审查")
        boss = _staff_login(browser, live_server, approver.username)
        boss.goto(f"/admin/applications/application/{application.pk}/change/")
        boss.locator("#action-approve").get_by_role("button", name="准予", exact=True).click()
        expect(boss.locator(".messagelist")).to_contain_text("准予")
        screenshot(boss, "approved")

        # --- Two weeks on the session has expired: the citizen signs in again, sees every
        # step and downloads the result -------------------------------------------------
        _citizen_login(page)
        page.goto(citizen_detail)
        expect(page.locator(".app-status .app-state")).to_have_text("准予许可/办结")
        timeline = page.locator(".app-timeline")
        for step in ("已提交", "待补正", "已受理", "审查中", "准予许可"):
            expect(timeline).to_contain_text(step)
        expect(timeline).to_contain_text("2025-09-26")
        screenshot(page, "citizen-result")
        result_links = reload_until(
            page, lambda p: p.get_by_role("link", name="下载 电子证照/结果文书")
        )
        result_links = page.locator("a[href*='/documents/']").filter(has_text="下载")
        assert result_links.count() >= 3  # the notice, the decision and the licence
        result = page.request.get(result_links.last.get_attribute("href"))
        assert result.body().startswith(b"%PDF")
        assert item.name.split("（")[0] in _pdf_text(result.body(), tmp_path, "result")
