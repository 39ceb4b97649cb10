"""A keyboard-only journey (issue #17, DOMAIN Q1): search, open the guide, apply, upload,
submit and read the application's status, pressing only Tab, Enter, Space and typing. Every
control the keyboard reaches on the way has a visible focus and a name, and the skip link
is the first stop."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.applications.factories import PDF_BYTES
from tests.catalogue.factories import PublicGuideMaterialFactory, published_item

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80

# What the focused element shows and says: an outline or a ring, and an accessible name
# (its label, aria-label, text, value or title).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  const labelled = el.getAttribute("aria-labelledby");
  const name = (el.getAttribute("aria-label")
    || (labelled && labelled.split(" ").map(id => document.getElementById(id)?.innerText || "")
        .join(" "))
    || (el.labels && el.labels.length ? el.labels[0].innerText : "")
    || (el.tagName === "INPUT" && el.type !== "file" ? el.value || el.placeholder : "")
    || el.innerText || el.title || "").trim();
  return {tag: el.tagName, name, ring, html: el.outerHTML.slice(0, 160)};
}"""


def _tab_to(page, name: str, *, stops: list) -> dict:
    """Press Tab until the focused control's name contains ``name``; every stop on the
    way must show its focus and have a name (no trap: the target is reached)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state is not None, "focus fell back to the page body"
        stops.append(state)
        assert state["ring"], f"no visible focus on {state['html']}"
        assert state["name"], f"a control without a name: {state['html']}"
        if name in state["name"]:
            return state
    raise AssertionError(f"{name!r} not reached in {MAX_TABS} Tab presses")


def _follow(page, key: str) -> None:
    """Press ``key`` on a link or submit button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_keyboard_only_search_guide_apply_upload_submit(page, live_server, tmp_path, screenshot):
    item = published_item(
        "食品经营许可",
        keywords="食品,餐饮",
        item={"code": "350100-SCJGJ-XK-0777"},
    )
    PublicGuideMaterialFactory(
        guide=item.guides.get(), order=1, name="食品经营许可申请书", electronic_formats="pdf"
    )
    citizen = UserFactory(full_name="林晓燕", phone="13912340077")
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    form_pdf = tmp_path / "申请书.pdf"
    form_pdf.write_bytes(PDF_BYTES)
    stops: list = []
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto("/")
    first = _tab_to(page, "跳到主要内容", stops=stops)
    assert len(stops) == 1, first  # the skip link is the first stop
    page.keyboard.press("Enter")
    _tab_to(page, "搜索", stops=stops)
    page.keyboard.type("食品")
    screenshot(page, "search-focused")
    _follow(page, "Enter")
    expect(page.get_by_text("相关的事项")).to_be_visible()

    _tab_to(page, "食品经营许可", stops=stops)
    _follow(page, "Enter")
    expect(page.get_by_role("heading", name="食品经营许可", level=1)).to_be_visible()

    _tab_to(page, "在线申请", stops=stops)
    screenshot(page, "apply-focused")
    _follow(page, "Enter")
    _tab_to(page, "开始申请", stops=stops)
    _follow(page, "Enter")
    expect(page.get_by_role("heading", name="填写申请：食品经营许可")).to_be_visible()

    picker = _tab_to(page, "食品经营许可申请书", stops=stops)
    assert picker["tag"] == "INPUT" and 'type="file"' in picker["html"], picker
    # Space on a focused file input opens the system's file dialog, which is outside the
    # page (and fires Chromium's file-chooser event only intermittently when headless):
    # choose the file on the focused control, as the dialog would.
    page.locator(":focus").set_input_files(str(form_pdf))
    expect(page.locator(".file-name").first).to_have_text("申请书.pdf")
    _tab_to(page, "下一步：核对并提交", stops=stops)
    _follow(page, "Enter")
    expect(page.get_by_text("所需材料和申请表内容已齐全")).to_be_visible()

    _tab_to(page, "确认提交", stops=stops)
    _follow(page, "Enter")
    expect(page.get_by_text("申请已提交")).to_be_visible()
    expect(page.locator(".app-status .app-state")).to_have_text("已提交")
    screenshot(page, "submitted")
    print(f"{len(stops)} Tab stops, each with a visible focus and a name")
