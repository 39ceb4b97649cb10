"""The policy admin: every save and action calls a service; profiles are opened only with a
purpose and every look is logged (A17); the figures page runs a constant number of queries."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.policies.models import (
    CompanyProfile,
    Entitlement,
    Policy,
    PolicyEvent,
    PolicyHaltRequest,
    ProfileAccess,
)
from apps.policies.services import policy_match
from tests.accounts.factories import make_credit_code
from tests.policies.factories import PersonProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def _form(department, **overrides):
    data = {
        "title": "首次“小升规”企业奖励",
        "policy_class": "enterprise",
        "department": department.pk,
        "document_number": "榕工信〔2026〕5号",
        "subject_kind": "company",
        "summary": "对首次纳入规模以上统计的工业企业给予奖励。",
        "benefit": "一次性奖励10万元。",
        "amount": "100000",
        "conditions_text": "首次纳入规上工业统计。",
        "procedure_text": "统计部门数据比对，部门认定后拨付。",
        "time_limit_text": "认定后30日内拨付",
        "legal_basis": "《市促进工业稳增长若干措施》第三条",
        "contact": "0591-12345",
        "fulfilment": "automatic",
        "service_item": "",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "criteria": json.dumps([{"attribute": "industry", "operator": "prefix", "value": ["C"]}]),
    }
    return {**data, **overrides}


def test_add_goes_through_the_service_with_a_timeline_row(client, approver, department):
    client.force_login(approver)
    response = client.post(reverse("admin:policies_policy_add"), _form(department))
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get()
    assert policy.code.startswith("ZC2026") and policy.state == "draft"
    assert PolicyEvent.objects.get(policy=policy).kind == "created"


def test_contradicting_criteria_are_shown_on_the_form(client, approver, department):
    client.force_login(approver)
    bad = json.dumps(
        [
            {"attribute": "employees", "operator": "gte", "value": 100},
            {"attribute": "employees", "operator": "lte", "value": 10},
        ]
    )
    response = client.post(reverse("admin:policies_policy_add"), _form(department, criteria=bad))
    assert response.status_code == 200
    assert "互相矛盾" in response.content.decode()
    assert not Policy.objects.exists()


def test_change_form_has_the_editor_and_the_action_panel(client, approver, department):
    policy = PolicyFactory(department=department, state="draft")
    client.force_login(approver)
    page = client.get(reverse("admin:policies_policy_change", args=[policy.pk])).content.decode()
    assert 'id="criteria-editor"' in page and "criteria-registry" in page
    assert reverse("api-policy-criteria-count") in page and "发布政策" in page


def test_a_published_policy_takes_only_its_english_title_in_the_admin(client, approver, department):
    """Issue #17: every field of a published policy is read-only except its English title,
    saved through its service."""
    policy = PolicyFactory(department=department, title="高新技术企业认定奖励")
    client.force_login(approver)
    url = reverse("admin:policies_policy_change", args=[policy.pk])
    page = client.get(url).content.decode()
    assert 'name="title_en"' in page and 'name="title"' not in page
    response = client.post(url, {"title_en": "Award for recognised high-tech enterprises"})
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert (policy.title, policy.title_en) == (
        "高新技术企业认定奖励",
        "Award for recognised high-tech enterprises",
    )
    assert PolicyEvent.objects.get(policy=policy, kind="updated").payload == {
        "fields": ["title_en"]
    }


def test_publish_and_halt_from_the_admin_po5(client, approver, supervisor, department):
    policy = PolicyFactory(department=department, state="draft")
    client.force_login(approver)
    client.post(reverse("admin:policies_policy_publish", args=[policy.pk]))
    policy.refresh_from_db()
    assert policy.state == "published"
    client.post(
        reverse("admin:policies_policy_halt", args=[policy.pk]),
        {
            "action": "suspend",
            "legal_ground": "law_changed",
            "legal_basis": "某文件第三条",
            "reason": "依据已废止",
        },
    )
    halt = PolicyHaltRequest.objects.get()
    client.force_login(supervisor)
    page = client.get(reverse("admin:policies_policyhaltrequest_change", args=[halt.pk]))
    assert "批准" in page.content.decode()
    client.post(
        reverse("admin:policies_policyhaltrequest_decide", args=[halt.pk]),
        {"decision": "approve", "note": "同意"},
    )
    policy.refresh_from_db()
    assert policy.state == "suspended"


def test_a_forbidden_reason_is_reported_on_the_page_po5(client, approver, department):
    policy = PolicyFactory(department=department)
    client.force_login(approver)
    response = client.post(
        reverse("admin:policies_policy_halt", args=[policy.pk]),
        {
            "action": "stop",
            "legal_ground": "other_statutory",
            "legal_basis": "无",
            "reason": "人员变动",
        },
        follow=True,
    )
    assert "人员变动" in response.content.decode() and not PolicyHaltRequest.objects.exists()


def test_a_profile_opens_only_with_a_purpose_and_the_look_is_logged_a17(client, approver):
    person = PersonProfileFactory(name="陈阿婆")
    client.force_login(approver)
    url = reverse("admin:policies_personprofile_change", args=[person.pk])
    first = client.get(url).content.decode()
    assert "查看目的" in first and person.id_number not in first
    assert not ProfileAccess.objects.exists()
    page = client.get(url, {"purpose": "核实高龄津贴匹配结果"}).content.decode()
    assert person.id_number not in page  # masked even when opened
    access = ProfileAccess.objects.get()
    assert (access.viewer, access.person_profile, access.purpose) == (
        approver,
        person,
        "核实高龄津贴匹配结果",
    )


def test_person_list_masks_names_and_numbers(client, approver):
    person = PersonProfileFactory(name="陈阿婆")
    client.force_login(approver)
    page = client.get(reverse("admin:policies_personprofile_changelist")).content.decode()
    assert "陈**" in page and "陈阿婆" not in page and person.id_number not in page
    found = client.get(reverse("admin:policies_personprofile_changelist"), {"q": person.id_number})
    assert "陈**" in found.content.decode()


def test_import_from_the_admin_reports_every_bad_row(client, system_admin):
    client.force_login(system_admin)
    good = make_credit_code()
    content = (
        f"credit_code,name,data_as_of\n{good},好公司,2026-01-31\n123,坏公司,2026-01-31\n"
    ).encode()
    response = client.post(
        reverse("admin:policies_profileimport_add"),
        {"kind": "company", "file": SimpleUploadedFile("企业.csv", content, "text/csv")},
    )
    page = response.content.decode()
    assert "整个文件未导入" in page and "第2条 credit_code" in page
    assert not CompanyProfile.objects.exists()
    ok = client.post(
        reverse("admin:policies_profileimport_add"),
        {
            "kind": "company",
            "file": SimpleUploadedFile("企业.csv", content.rsplit(b"\n", 2)[0] + b"\n"),
        },
    )
    assert ok.status_code == 302 and CompanyProfile.objects.get().credit_code == good


def test_import_needs_the_permission(client, approver):
    client.force_login(approver)
    assert client.get(reverse("admin:policies_profileimport_add")).status_code == 403


def test_entitlement_grant_and_pay_from_the_admin(client, approver, company_profile, department):
    policy_match(policy_id=PolicyFactory(department=department).pk)
    entitlement = Entitlement.objects.get()
    client.force_login(approver)
    page = client.get(
        reverse("admin:policies_entitlement_change", args=[entitlement.pk])
    ).content.decode()
    assert entitlement.notice_number in page and "认定" in page
    client.post(
        reverse("admin:policies_entitlement_changelist"),
        {"action": "grant_selected", "_selected_action": [entitlement.pk]},
    )
    entitlement.refresh_from_db()
    assert entitlement.state == "granted"
    client.post(
        reverse("admin:policies_entitlement_act", args=[entitlement.pk, "pay"]),
        {"payment_reference": "GK-2026-7"},
    )
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.payment_reference) == ("paid", "GK-2026-7")


def test_figures_page_constant_queries(client, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    url = reverse("admin:policies_policy_figures")
    PolicyFactory.create_batch(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    PolicyFactory.create_batch(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert "政策兑现统计" in page.content.decode()


def test_figures_page_is_for_those_with_the_permission(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("admin:policies_policy_figures")).status_code == 403


def test_changelists_open_for_each_role(
    client, approver, supervisor, system_admin, company_profile
):
    policy_match(policy_id=PolicyFactory().pk)
    names = ["policy", "entitlement", "policypush", "policyclaim", "policyhaltrequest"]
    for user in (approver, supervisor, system_admin):
        client.force_login(user)
        for name in names:
            assert client.get(reverse(f"admin:policies_{name}_changelist")).status_code == 200, (
                user,
                name,
            )
