"""在线填报 in a real browser (DOMAIN Q1, Q2, A4, A5, C8): a citizen fills the 食品经营许可
form (prefilled from the account) and sees the summary before submitting; a company agent
applies for 开饭店一件事 in one form. At 1366 px and 390 px, normal and large text."""

from __future__ import annotations

import copy
import subprocess

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications.models import Application
from apps.catalogue.demo import demo_forms
from apps.catalogue.models import Bundle, BundleStep, GuideMaterial
from tests.accounts.factories import CompanyFactory, UserFactory
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
FOOD = "350100-SCJGJ-XK-0006"
SIGN = "350100-ZJJ-QT-0001"
VIEWS = [
    pytest.param(1366, False, id="1366-normal"),
    pytest.param(390, True, id="390-large"),
    pytest.param(1366, True, id="1366-large"),
    pytest.param(390, False, id="390-normal"),
]


def _guide(code: str, name: str, department=None, *, materials: list[tuple[str, str]]):
    item = ServiceItemFactory(
        code=code, name=name, **({"competent_department": department} if department else {})
    )
    forms = demo_forms()[code]
    guide = GuideFactory(
        item=item,
        application_form=copy.deepcopy(forms["application_form"]),
        result_fields=copy.deepcopy(forms.get("result_fields", [])),
    )
    for order, (material, importance) in enumerate(materials, 1):
        GuideMaterialFactory(
            guide=guide,
            order=order,
            name=material,
            electronic_formats="pdf,png",
            max_size_mb=2,
            importance=importance,
            supplement_days=5 if importance == GuideMaterial.Importance.TOLERABLE else None,
        )
    return guide


def _login(page, phone: str, name: str, *, width: int, large: bool) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text(name)
    if large:
        page.get_by_role("button", name="长辈版/大字模式").click()
        expect(page.locator("html")).to_have_class("a11y")


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px"


def _pick_region(field, district: str, detail: str) -> None:
    # The cascade opens on the portal's city (福建省 → 福州市); choose the district.
    field.locator("select[name$='__district']").select_option(label=district)
    field.get_by_label("详细地址（街道、门牌号）").fill(detail)


@pytest.mark.parametrize(("width", "large"), VIEWS)
def test_citizen_fills_the_food_licence_form_checks_and_submits(
    page, live_server, document_worker, screenshot, tmp_path, width, large
):
    guide = _guide(
        FOOD,
        "食品经营许可",
        materials=[
            ("食品经营许可申请书", GuideMaterial.Importance.MAIN),
            ("食品经营场所和设备布局、操作流程平面图", GuideMaterial.Importance.MAIN),
            ("食品安全管理人员任命文件及培训考核合格证明", GuideMaterial.Importance.TOLERABLE),
        ],
    )
    UserFactory(full_name="林晓燕", phone="13912340031", role=Role.CITIZEN)
    plan = tmp_path / "平面图.png"
    plan.write_bytes(PNG_BYTES)
    _login(page, "13912340031", "林晓燕", width=width, large=large)

    page.goto(f"/items/{guide.item.code}/")
    expect(page.get_by_role("link", name="空白表格")).to_be_visible()
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始申请").click()

    # The form: contact prefilled from the real-name account, marked as such (Q2).
    expect(page.get_by_role("heading", name="食品经营许可申请书")).to_be_visible()
    contact = page.locator("#field-contact_phone")
    expect(contact.get_by_text("已从实名账户预填")).to_be_visible()
    expect(contact.locator("input")).to_have_value("13912340031")
    # No upload box for the 申请书 itself: the form is that material.
    expect(page.get_by_label("食品经营许可申请书", exact=True)).to_have_count(0)
    page.locator("#field-company_name input").fill("林记小吃店")
    page.locator("#field-company_uscc input").fill("92350102MA2Y0XKT63")
    _pick_region(page.locator("#field-business_address"), "鼓楼区", "五四路100号")
    page.locator("#field-business_area input").fill("80")
    page.locator("#field-operator_type").get_by_role(
        "radio", name="餐饮服务经营者", exact=True
    ).check()
    page.locator("#field-food_items").get_by_role("checkbox", name="热食类食品制售").check()
    platform = page.locator("#field-online_platform")
    expect(platform).to_be_hidden()  # shown only when it applies
    page.locator("#field-online_sales").get_by_role("radio", name="是", exact=True).check()
    expect(platform).to_be_visible()
    platform.locator("input").fill("美团外卖")
    staff = page.locator("#field-food_safety_staff")
    staff.locator("input[name$='__0__name']").fill("林安全")
    staff.locator("input[name$='__0__id_number']").fill("350102198505051239")
    staff.locator("input[name$='__0__phone']").fill("13900000003")
    page.get_by_label("食品经营场所和设备布局、操作流程平面图", exact=True).set_input_files(
        str(plan)
    )
    page.locator("#field-declaration").get_by_label("我已阅读并确认以上声明").check()
    screenshot(page, "form")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="下一步：核对并提交").click()

    # The summary: answers, materials, and what is still missing, named (A5).
    expect(page.get_by_role("heading", name="尚缺以下内容")).to_be_visible()
    expect(page.locator(".review-missing")).to_contain_text("食品安全管理人员任命文件")
    expect(page.locator(".answers").first).to_contain_text("福建省福州市鼓楼区五四路100号")
    expect(page.get_by_text("已上传（草稿）").first).to_be_visible()
    screenshot(page, "review")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="仍然提交").click()

    expect(page.get_by_text("申请已提交")).to_be_visible()
    expect(page.locator(".app-status .app-state")).to_have_text("已提交")
    application = Application.objects.get(item=guide.item)
    assert application.answers.values["online_platform"] == "美团外卖"
    link = reload_until(page, lambda p: p.get_by_role("link", name="下载 申请书"))
    pdf = page.request.get(link.get_attribute("href"))
    path = tmp_path / "申请书.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    compact = "".join(text.split())
    assert "林记小吃店" in compact and "美团外卖" in compact
    # The QR/verification address is the one this portal is served on.
    assert live_server.url.replace("http://", "") in compact
    screenshot(page, "detail")
    _no_sideways_scroll(page)


@pytest.mark.parametrize(("width", "large"), VIEWS[:2])
def test_company_agent_applies_for_the_restaurant_bundle_in_one_form(
    page, screenshot, tmp_path, width, large, department, other_department
):
    food = _guide(
        FOOD,
        "食品经营许可",
        department,
        materials=[
            ("食品经营许可申请书", GuideMaterial.Importance.MAIN),
            ("营业执照", GuideMaterial.Importance.MAIN),
        ],
    )
    sign = _guide(
        SIGN,
        "户外招牌设置备案",
        other_department,
        materials=[
            ("户外招牌设置备案表", GuideMaterial.Importance.MAIN),
            ("营业执照", GuideMaterial.Importance.MAIN),
            ("招牌设计效果图", GuideMaterial.Importance.MAIN),
        ],
    )
    bundle = Bundle.objects.create(
        code="YJS-KFD",
        name="开饭店一件事",
        target="legal_person",
        lead_department=department,
        promised_time_limit_days=5,
        status=Bundle.Status.PUBLISHED,
    )
    BundleStep.objects.create(bundle=bundle, item=food.item, stage=1)
    BundleStep.objects.create(bundle=bundle, item=sign.item, stage=2)
    company = CompanyFactory(
        name="榕城示范餐饮有限公司",
        legal_representative="陈示范",
        address="福州市鼓楼区五四路100号",
    )
    agent = UserFactory(
        full_name="钱经办",
        phone="13912340032",
        kind=User.Kind.COMPANY_AGENT,
        role=Role.COMPANY_AGENT,
    )
    agent.companies.add(company)
    licence, design = tmp_path / "营业执照.pdf", tmp_path / "效果图.png"
    licence.write_bytes(PDF_BYTES)
    design.write_bytes(PNG_BYTES)

    _login(page, "13912340032", "钱经办", width=width, large=large)
    page.goto(f"/bundles/{bundle.code}/")
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始申请").click()

    expect(page.get_by_role("heading", name="一件事申请表")).to_be_visible()
    # The company's data prefilled; a field both items ask for is asked once (C8).
    expect(page.locator("#field-company_name input")).to_have_value("榕城示范餐饮有限公司")
    expect(page.locator("#field-company_name").get_by_text("已从单位信息预填")).to_be_visible()
    expect(page.locator("input[name='f_company_name']")).to_have_count(1)
    expect(page.locator("input[name='f_declaration']")).to_have_count(1)
    # 营业执照: one box for both items.
    expect(page.get_by_label("营业执照", exact=True)).to_have_count(1)
    expect(page.get_by_text("一次上传，用于：食品经营许可、户外招牌设置备案")).to_be_visible()
    _pick_region(page.locator("#field-business_address"), "鼓楼区", "五四路100号")
    page.locator("#field-business_area input").fill("180")
    page.locator("#field-operator_type").get_by_role(
        "radio", name="餐饮服务经营者", exact=True
    ).check()
    page.locator("#field-food_items").get_by_role("checkbox", name="热食类食品制售").check()
    page.locator("#field-online_sales").get_by_role("radio", name="否", exact=True).check()
    staff = page.locator("#field-food_safety_staff")
    staff.locator("input[name$='__0__name']").fill("林安全")
    page.locator("#field-sign_text input").fill("榕城示范餐馆")
    page.locator("#field-sign_width input").fill("6")
    page.locator("#field-sign_height input").fill("1.2")
    page.locator("#field-sign_lit").get_by_role("radio", name="否", exact=True).check()
    page.get_by_label("营业执照", exact=True).set_input_files(str(licence))
    page.get_by_label("招牌设计效果图", exact=True).set_input_files(str(design))
    page.locator("#field-declaration").get_by_label("我已阅读并确认以上声明").check()
    screenshot(page, "bundle-form")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="下一步：核对并提交").click()

    expect(page.get_by_text("所需材料和申请表内容已齐全")).to_be_visible()
    screenshot(page, "bundle-review")
    page.get_by_role("button", name="确认提交").click()

    expect(page.get_by_role("heading", name="总体进度")).to_be_visible()
    expect(page.locator(".bundle-limit")).to_contain_text("5")
    # C8: the sign (second stage) waits for the food licence (first stage) to be approved.
    assert set(Application.objects.values_list("state", flat=True)) == {"submitted", "waiting"}
    expect(page.locator(".bundle-stage-waiting")).to_contain_text("等待前一阶段办结")
    screenshot(page, "bundle-progress")
    _no_sideways_scroll(page)
