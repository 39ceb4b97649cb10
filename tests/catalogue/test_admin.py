"""Catalogue admin: department scoping, services behind saves, publish, revise, compare
(DOMAIN C3–C5, C8, C12)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.accounts.roles import Role
from apps.catalogue.models import Bundle, GuideMaterial, ServiceGuide, ServiceItem
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import (
    BundleFactory,
    GuideMaterialFactory,
    PublishedGuideFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
    item_with_published_guide,
)


@pytest.fixture
def other_manager(other_department):
    return StaffFactory(
        username="approver2", role=Role.DEPARTMENT_APPROVER, departments=[other_department]
    )


@pytest.fixture
def item(department):
    return ServiceItemFactory(
        code="350100-SCJGJ-XK-0001", name="食品经营许可", competent_department=department
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form_data(response) -> dict:
    """The POST body a browser would send for an admin change page, as rendered."""
    data: dict = {}

    def collect(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(form.fields[name], forms.FileField):
                continue  # files
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    collect(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value() or 0)
        for form in formset.forms:
            collect(form)
    return data


# --- scoping -----------------------------------------------------------------------------


def test_department_manager_sees_only_own_items(approver, item, other_department, login):
    foreign = ServiceItemFactory(name="护照签发", competent_department=other_department)
    response = login(approver).get(reverse("admin:catalogue_serviceitem_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert item.name in body
    assert foreign.name not in body


def test_other_department_staff_cannot_see_or_edit(client, other_dept_staff, other_manager, item):
    for user in (other_dept_staff, other_manager):
        client.force_login(user)
        listing = client.get(reverse("admin:catalogue_serviceitem_changelist"))
        assert item.name not in listing.content.decode()
        url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
        assert client.get(url).status_code == 302  # "does not exist" redirect
        client.post(url, {"name": "被改名"})
    item.refresh_from_db()
    assert item.name == "食品经营许可"


def test_window_staff_sees_own_items_read_only(window_staff, item, login):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login(window_staff).get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_system_admin_sees_every_item(system_admin, item, other_department, login):
    foreign = ServiceItemFactory(name="护照签发", competent_department=other_department)
    body = (
        login(system_admin).get(reverse("admin:catalogue_serviceitem_changelist")).content.decode()
    )
    assert item.name in body and foreign.name in body


def test_manager_cannot_assign_an_item_to_another_department(
    client, approver, other_department, login
):
    response = login(approver).get(reverse("admin:catalogue_serviceitem_add"))
    choices = response.context["adminform"].form.fields["implementing_department"].queryset
    assert list(choices.values_list("code", flat=True)) == ["SCJGJ"]


# --- items through services -----------------------------------------------------------------


def test_item_edit_goes_through_services(client, approver, item, login):
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    login(approver)
    data = _form_data(client.get(url))
    data["keywords"] = "开饭店,餐饮"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert "开饭店" in item.search_text  # maintained by item_update


def test_item_add_goes_through_services(approver, department, login):
    url = reverse("admin:catalogue_serviceitem_add")
    data = {
        "code": "350100-SCJGJ-XK-0100",
        "name": "食品生产许可",
        "item_type": "licensing",
        "target": "legal_person",
        "competent_department": department.pk,
        "implementing_department": department.pk,
        "legal_basis": "《食品安全法》",
        "level": "city",
        "keywords": "食品厂",
        "risk_area": "",
        "is_active": "on",
        "guides-TOTAL_FORMS": "0",
        "guides-INITIAL_FORMS": "0",
        "_save": "1",
    }
    response = login(approver).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = ServiceItem.objects.get(code="350100-SCJGJ-XK-0100")
    assert "spscxk" in created.pinyin_initials


def test_new_revision_action_creates_a_draft_copy(approver, item, login):
    PublishedGuideFactory(item=item, materials=2)
    response = login(approver).post(
        reverse("admin:catalogue_serviceitem_changelist"),
        {"action": "create_revision", "_selected_action": [item.pk]},
        follow=True,
    )
    draft = item.guides.get(status=ServiceGuide.Status.DRAFT)
    assert draft.version == 2
    assert draft.materials.count() == 2
    assert any("草稿" in m for m in _messages(response))


# --- guides ------------------------------------------------------------------------------


def test_c4_vague_material_is_refused_inline_in_chinese(client, approver, item, login):
    draft = ServiceGuideFactory(item=item, materials=1)
    url = reverse("admin:catalogue_serviceguide_change", args=[draft.pk])
    login(approver)
    data = _form_data(client.get(url))
    data["materials-0-name"] = "身份证明等"
    response = client.post(url, data)
    assert response.status_code == 200  # re-rendered with errors
    assert "材料名称“身份证明等”含有兜底表述“等”，请逐项列明" in response.content.decode()
    assert draft.materials.get().name == "申请材料1"


def test_guide_edit_and_new_material_go_through_services(client, approver, item, login):
    draft = ServiceGuideFactory(item=item, materials=1)
    url = reverse("admin:catalogue_serviceguide_change", args=[draft.pk])
    login(approver)
    data = _form_data(client.get(url))
    data["promised_time_limit_days"] = "4"
    data["materials-TOTAL_FORMS"] = "2"
    data.update(
        {
            "materials-1-order": "2",
            "materials-1-name": "经营场所证明",
            "materials-1-originals": "1",
            "materials-1-copies": "0",
            "materials-1-electronic_formats": "pdf",
            "materials-1-max_size_mb": "10",
            "materials-1-is_required": "on",
            "materials-1-importance": "main",
            "materials-1-reuse": "none",
            "materials-1-guide": str(draft.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.promised_time_limit_days == 4
    assert list(draft.materials.values_list("name", flat=True)) == ["申请材料1", "经营场所证明"]


def test_c12_pledge_on_high_risk_item_is_refused_in_the_form(client, approver, department, login):
    risky = ServiceItemFactory(competent_department=department, risk_area="public_safety")
    draft = ServiceGuideFactory(item=risky)
    url = reverse("admin:catalogue_serviceguide_change", args=[draft.pk])
    login(approver)
    data = _form_data(client.get(url))
    data["pledge_enabled"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不得适用告知承诺制" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.pledge_enabled


def test_c5_published_guide_page_is_read_only(approver, item, login):
    guide = PublishedGuideFactory(item=item)
    url = reverse("admin:catalogue_serviceguide_change", args=[guide.pk])
    response = login(approver).get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["can_publish"] is False


def test_c3_publish_button_shows_every_problem(client, approver, item, login):
    draft = ServiceGuideFactory(item=item, steps=0, consultation="")
    GuideMaterialFactory(guide=draft, name="其他材料")
    page = login(approver).get(reverse("admin:catalogue_serviceguide_change", args=[draft.pk]))
    publish_url = reverse("admin:catalogue_serviceguide_publish", args=[draft.pk])
    assert publish_url in page.content.decode()
    response = client.post(publish_url, follow=True)
    messages = _messages(response)
    assert "须填写咨询方式" in messages
    assert "办理流程至少包含一个环节" in messages
    assert "材料名称“其他材料”含有兜底表述“其他材料”，请逐项列明" in messages
    draft.refresh_from_db()
    assert draft.status == ServiceGuide.Status.DRAFT


def test_c5_publish_button_publishes_and_supersedes(approver, item, login):
    v1 = PublishedGuideFactory(item=item)
    v2 = ServiceGuideFactory(item=item)
    login(approver).post(reverse("admin:catalogue_serviceguide_publish", args=[v2.pk]))
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (ServiceGuide.Status.SUPERSEDED, ServiceGuide.Status.PUBLISHED)
    assert v2.published_by == approver


def test_publish_refused_for_other_department(other_manager, item, login):
    draft = ServiceGuideFactory(item=item)
    response = login(other_manager).post(
        reverse("admin:catalogue_serviceguide_publish", args=[draft.pk])
    )
    assert response.status_code in (302, 403, 404)
    draft.refresh_from_db()
    assert draft.status == ServiceGuide.Status.DRAFT


def test_publish_action_reports_problems(approver, item, login):
    good = ServiceGuideFactory(item=item)
    other_item = ServiceItemFactory(competent_department=item.competent_department)
    bad = ServiceGuideFactory(item=other_item, steps=0)
    response = login(approver).post(
        reverse("admin:catalogue_serviceguide_changelist"),
        {"action": "publish_guides", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == ServiceGuide.Status.PUBLISHED
    assert bad.status == ServiceGuide.Status.DRAFT
    assert any("办理流程至少包含一个环节" in m for m in _messages(response))


def test_version_diff_page_shows_the_changed_field(client, approver, item, login):
    v1 = PublishedGuideFactory(item=item, promised_time_limit_days=5, status="superseded")
    v2 = PublishedGuideFactory(item=item, promised_time_limit_days=3)
    GuideMaterialFactory(guide=v2, name="场所平面图")
    page = login(approver).get(reverse("admin:catalogue_serviceguide_change", args=[v2.pk]))
    compare = reverse("admin:catalogue_serviceguide_compare", args=[item.pk])
    assert f"{compare}?old={v1.version}&amp;new={v2.version}" in page.content.decode()
    response = client.get(compare, {"old": v1.version, "new": v2.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "承诺办结时限（工作日）" in body
    assert "场所平面图" in body
    assert "新增" in body


def test_version_diff_hidden_from_other_departments(other_manager, item, login):
    PublishedGuideFactory(item=item)
    url = reverse("admin:catalogue_serviceguide_compare", args=[item.pk])
    assert login(other_manager).get(url).status_code == 404


def test_guide_history_is_readable(approver, item, login):
    guide = PublishedGuideFactory(item=item)
    url = reverse("admin:catalogue_serviceguide_history", args=[guide.pk])
    assert login(approver).get(url).status_code == 200


def test_item_page_lists_guide_versions_with_links(approver, item, login):
    guide = PublishedGuideFactory(item=item)
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    body = login(approver).get(url).content.decode()
    assert reverse("admin:catalogue_serviceguide_change", args=[guide.pk]) in body
    assert "第1版" in body


# --- bundles -----------------------------------------------------------------------------


def test_c8_bundle_admin_shows_computed_limit_and_refuses_over_limit(
    client, approver, department, login
):
    a = item_with_published_guide(promised=5, competent_department=department)
    b = item_with_published_guide(promised=2, competent_department=department)
    url = reverse("admin:catalogue_bundle_add")
    data = {
        "code": "YJS-QYKB",
        "name": "企业开办一件事",
        "description": "",
        "target": "legal_person",
        "lead_department": department.pk,
        "promised_time_limit_days": "8",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-stage": "1",
        "steps-0-item": str(a.pk),
        "steps-1-stage": "2",
        "steps-1-item": str(b.pk),
    }
    response = login(approver).post(url, data)
    assert response.status_code == 200
    assert "超过按环节计算的时限（7个工作日" in response.content.decode()
    assert not Bundle.objects.exists()

    data["promised_time_limit_days"] = "6"
    response = client.post(url, data)
    assert response.status_code == 302
    bundle = Bundle.objects.get()
    assert bundle.steps.count() == 2
    page = client.get(reverse("admin:catalogue_bundle_change", args=[bundle.pk]))
    assert "7" in page.content.decode()
    response = client.post(
        reverse("admin:catalogue_bundle_changelist"),
        {"action": "publish_bundles", "_selected_action": [bundle.pk]},
    )
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.PUBLISHED


def test_bundles_of_other_departments_are_hidden(other_manager, department, login):
    bundle = BundleFactory(lead_department=department, name="企业开办一件事")
    body = login(other_manager).get(reverse("admin:catalogue_bundle_changelist")).content.decode()
    assert bundle.name not in body


def test_material_model_not_deletable_outside_drafts(client, approver, item, login):
    guide = PublishedGuideFactory(item=item)
    url = reverse("admin:catalogue_serviceguide_change", args=[guide.pk])
    login(approver)
    data = _form_data(client.get(url))
    data["materials-0-DELETE"] = "on"
    client.post(url, data)
    assert GuideMaterial.objects.filter(guide=guide).count() == 1


@pytest.mark.parametrize("persona", ["system_admin", "approver", "supervisor", "window_staff"])
@pytest.mark.parametrize("model", ["topic", "serviceitem", "serviceguide", "bundle"])
def test_catalogue_admin_pages_render(request, client, persona, model, item, login):
    guide = PublishedGuideFactory(item=item)
    bundle = BundleFactory(lead_department=item.competent_department)
    login(request.getfixturevalue(persona))
    listing = client.get(reverse(f"admin:catalogue_{model}_changelist"))
    assert listing.status_code == 200
    obj = {"topic": None, "serviceitem": item, "serviceguide": guide, "bundle": bundle}[model]
    if obj is not None:
        page = client.get(reverse(f"admin:catalogue_{model}_change", args=[obj.pk]))
        assert page.status_code in (200, 302)


def test_citizen_has_no_catalogue_admin(citizen, item, login):
    response = login(citizen).get(reverse("admin:catalogue_serviceitem_changelist"))
    assert response.status_code == 302
