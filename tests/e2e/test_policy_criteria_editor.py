"""The criteria editor in the policy admin (issue #14): conditions built from form controls,
and the live "how many would match" count from the server, contradictions named (PO3)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.accounts.factories import DepartmentFactory, StaffFactory
from tests.policies.factories import CompanyProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_editor_counts_matches_live_and_names_contradictions(page, live_server, screenshot):
    department = DepartmentFactory(code="KJJ", name="市科学技术局")
    StaffFactory(username="kjj_editor", role=Role.DEPARTMENT_APPROVER, departments=[department])
    for employees in (5, 50, 120):
        CompanyProfileFactory(employees=employees)

    page.goto("/admin/login/")
    page.fill("#id_username", "kjj_editor")
    page.fill("#id_password", "Portal#2026")
    page.locator("input[type=submit]").click()
    page.goto("/admin/policies/policy/add/")
    page.select_option("#id_subject_kind", "company")
    page.get_by_role("button", name="添加条件").click()
    row = page.locator("#criteria-rows .pa-row").first
    row.get_by_label("条件项").select_option("employees")
    row.get_by_label("运算").select_option("gte")
    row.locator(".pa-value input").fill("20")
    result = page.locator("#criteria-result")
    expect(result).to_contain_text("将匹配 2 个对象")
    criteria = json.loads(page.locator("#id_criteria").input_value())
    assert criteria == [{"attribute": "employees", "operator": "gte", "value": 20}]
    screenshot(page, "count")

    page.get_by_role("button", name="添加条件").click()
    second = page.locator("#criteria-rows .pa-row").nth(1)
    second.get_by_label("条件项").select_option("employees")
    second.get_by_label("运算").select_option("lte")
    second.locator(".pa-value input").fill("10")
    expect(result).to_contain_text("互相矛盾")
    screenshot(page, "contradiction")
