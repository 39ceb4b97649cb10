"""预审 in a real browser (DOMAIN Q2, C7): a citizen uploads a blank PDF and a tiny photo,
and the 核对并提交 page warns about both before anything is submitted."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfWriter

from apps.applications.models import ApplicationMaterial
from apps.assistant.prechecks.services import material_precheck
from tests.accounts.factories import UserFactory
from tests.applications.factories import GuideFactory, GuideMaterialFactory, ServiceItemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _item():
    item = ServiceItemFactory(code="350100-SCJGJ-XK-0902", name="食品经营许可（预审测试）")
    guide = GuideFactory(item=item)
    for order, name in ((1, "食品经营许可申请书"), (2, "经营场所照片")):
        GuideMaterialFactory(
            guide=guide, order=order, name=name, electronic_formats="pdf,png", max_size_mb=2
        )
    return item


def test_the_review_page_warns_about_a_blank_pdf_and_a_tiny_photo_q2(page, screenshot, tmp_path):
    item = _item()
    UserFactory(full_name="林晓燕", phone="13912340019")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = tmp_path / "申请书.pdf"
    with blank.open("wb") as handle:
        writer.write(handle)
    photo = tmp_path / "照片.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 40)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill("13912340019")
    page.get_by_label("密码").fill("Portal#2026")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("林晓燕")
    page.goto(f"/items/{item.code}/")
    page.get_by_role("link", name="在线申请").click()
    page.get_by_role("button", name="开始申请").click()
    page.get_by_label("食品经营许可申请书", exact=True).set_input_files(str(blank))
    page.get_by_label("经营场所照片", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="下一步：核对并提交").click()
    expect(page.get_by_text("正在检查刚上传的材料")).to_be_visible()

    # What the Celery worker does after the upload commits.
    for material_id in ApplicationMaterial.objects.values_list("pk", flat=True):
        material_precheck(material_id=material_id)
    page.reload()
    panel = page.locator("section.precheck")
    expect(panel).to_contain_text("可能是空白文件")
    expect(panel).to_contain_text("分辨率较低（320×240像素）")
    screenshot(page, "review")
