"""Issue #14, done when: 我的政策 for a company agent, from the push to a granted entitlement.

A 免申即享 policy is matched against the shared data and pushed (PO3). The company agent
finds the message in the inbox, follows it to 我的政策, reads why the company qualifies
(each criterion with the company's own value), and opens the notice. The department grants
the benefit in the admin; the agent sees it granted. Also at phone width (390 px).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.policies.models import Entitlement
from apps.policies.services import policy_match, policy_push_send_batch
from tests.accounts.factories import CompanyFactory, DepartmentFactory, StaffFactory, UserFactory
from tests.policies.factories import CompanyProfileFactory, PolicyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Portal#2026"
PHONE = "13912340088"


def _agent_login(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text("钱经办")


def _staff_page(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto("/admin/login/")
    staff.fill("#id_username", username)
    staff.fill("#id_password", PASSWORD)
    staff.locator("input[type=submit]").click()
    expect(staff.locator("#user-tools")).to_be_visible()
    return staff


def test_company_agent_from_push_to_granted_entitlement(page, browser, live_server, screenshot):
    department = DepartmentFactory(code="KJJ", name="市科学技术局")
    StaffFactory(
        username="kjj_approver",
        full_name="吴科长",
        role=Role.DEPARTMENT_APPROVER,
        departments=[department],
    )
    company = CompanyFactory(name="榕城示范科技有限公司")
    agent = UserFactory(
        full_name="钱经办", phone=PHONE, kind=User.Kind.COMPANY_AGENT, role=Role.COMPANY_AGENT
    )
    agent.companies.add(company)
    CompanyProfileFactory(credit_code=company.credit_code, name=company.name, employees=86)
    policy = PolicyFactory(
        title="科技型中小企业研发费用补助",
        department=department,
        amount="50000.00",
        criteria=[
            {"attribute": "industry", "operator": "prefix", "value": ["I65"]},
            {"attribute": "employees", "operator": "between", "value": [10, 300]},
            {"attribute": "tax_credit_grade", "operator": "in", "value": ["A", "B"]},
        ],
    )
    policy_match(policy_id=policy.pk)
    assert policy_push_send_batch(policy_id=policy.pk).sent == 1
    entitlement = Entitlement.objects.get(policy=policy)

    # --- The push arrives in the agent's inbox (PO3) -------------------------------------
    _agent_login(page)
    page.goto("/inbox/")
    message = page.get_by_text("政策推送：科技型中小企业研发费用补助").first
    expect(message).to_be_visible()
    screenshot(page, "inbox")
    page.goto("/policies/mine/")

    # --- 我的政策: why the company qualifies, criterion by criterion (PO4) ----------------
    item = page.locator(f"#match-{entitlement.match_id}")
    expect(item).to_contain_text("科技型中小企业研发费用补助")
    expect(item.locator(".pol-reasons li.met")).to_have_count(3)
    expect(item).to_contain_text("从业人数 介于 10人 至 300人")
    expect(item).to_contain_text("您的数据：86人")
    expect(item.locator(".pol-badge")).to_contain_text("已告知")
    screenshot(page, "mine-notified")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "mine-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- The notice (免申即享告知书) --------------------------------------------------------
    item.get_by_role("link", name="查看告知书").click()
    expect(page.locator("h1")).to_have_text("免申即享告知书")
    expect(page.locator(".pol-notice")).to_contain_text(entitlement.notice_number)
    screenshot(page, "notice")

    # --- The department grants it in the admin -------------------------------------------
    staff = _staff_page(browser, live_server, "kjj_approver")
    staff.goto(f"/admin/policies/entitlement/{entitlement.pk}/change/")
    staff.get_by_role("button", name="认定").click()
    expect(staff.locator(".messagelist")).to_contain_text("已认定")
    screenshot(staff, "staff-granted")

    # --- The agent sees it granted, with the inbox message that said so ------------------
    page.goto("/policies/mine/")
    expect(page.locator(f"#match-{entitlement.match_id} .pol-badge")).to_contain_text("已认定")
    expect(page.locator(f"#match-{entitlement.match_id} .pol-decline")).to_have_count(0)
    screenshot(page, "mine-granted")
    page.goto("/inbox/")
    expect(page.get_by_text("免申即享待遇已认定：科技型中小企业研发费用补助").first).to_be_visible()
