"""Staff side of the catalogue (DOMAIN C2, C5): the admin search is the portal's search over
unpublished items too (marked), the work list of items not public yet, the synonym list."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalogue.models import ServiceGuide, SynonymGroup
from tests.catalogue.factories import (
    ServiceGuideFactory,
    ServiceItemFactory,
    item_with_published_guide,
)

CHANGELIST = "admin:catalogue_serviceitem_changelist"
WORKLIST = "admin:catalogue_serviceitem_worklist"


def _names(response) -> list[str]:
    return [item.name for item in response.context["cl"].result_list]


@pytest.fixture
def catalogue(department):
    published = item_with_published_guide(
        name="食品经营许可", competent_department=department, code="SC-0001"
    )
    draft_item = ServiceItemFactory(
        name="食品经营许可变更", competent_department=department, code="SC-0002"
    )
    ServiceGuideFactory(item=draft_item)
    basic = ServiceItemFactory(name="社会保险登记", competent_department=department, code="SC-0003")
    return published, draft_item, basic


def test_admin_search_uses_the_portal_search_with_pinyin_and_unpublished_items(
    client, approver, catalogue
):
    client.force_login(approver)
    response = client.get(reverse(CHANGELIST), {"q": "spjy"})
    assert _names(response) == ["食品经营许可", "食品经营许可变更"]
    html = response.content.decode()
    assert "已公开（第1版）" in html
    assert "<strong>未公开：草稿（第1版）</strong>" in html


def test_admin_search_applies_synonyms_and_finds_codes(client, approver, catalogue):
    client.force_login(approver)
    assert _names(client.get(reverse(CHANGELIST), {"q": "社保"})) == ["社会保险登记"]
    assert _names(client.get(reverse(CHANGELIST), {"q": "SC-0003"})) == ["社会保险登记"]


def test_admin_search_stays_within_the_staff_members_departments(
    client, other_dept_staff, catalogue
):
    client.force_login(other_dept_staff)
    assert _names(client.get(reverse(CHANGELIST), {"q": "食品"})) == []


def test_c5_worklist_shows_unpublished_items_by_department_with_what_they_lack(
    client, approver, catalogue
):
    client.force_login(approver)
    response = client.get(reverse(WORKLIST))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.item.name, r.label) for r in rows] == [
        ("社会保险登记", "未公开：仅基本目录"),
        ("食品经营许可变更", "未公开：草稿（第1版）"),
    ]
    html = response.content.decode()
    assert "尚无办事指南（实施清单）" in html
    assert "第1版办事指南为草稿，尚未发布" in html


def test_worklist_is_scoped_and_filtered_by_department(
    client, other_dept_staff, approver, catalogue, department
):
    client.force_login(other_dept_staff)
    assert client.get(reverse(WORKLIST)).context["rows"] == []
    client.force_login(approver)
    response = client.get(reverse(WORKLIST), {"department": department.code})
    assert len(response.context["rows"]) == 2
    assert client.get(reverse(WORKLIST), {"department": "NOPE"}).context["rows"] == []


def test_worklist_runs_a_constant_number_of_queries(client, approver, department):
    client.force_login(approver)
    for _ in range(2):
        ServiceGuideFactory(item=ServiceItemFactory(competent_department=department))
    client.get(reverse(WORKLIST))  # warm caches (the user's access, session)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(WORKLIST))
    for _ in range(12):
        ServiceGuideFactory(item=ServiceItemFactory(competent_department=department))
        ServiceItemFactory(competent_department=department)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(WORKLIST))
    assert len(response.context["rows"]) == 26
    assert len(many.captured_queries) == len(few.captured_queries)


def test_worklist_starts_the_guide_of_a_basic_catalogue_item(client, approver, catalogue):
    _published, _draft, basic = catalogue
    client.force_login(approver)
    url = reverse("admin:catalogue_serviceitem_start_draft", args=[basic.pk])
    response = client.post(url)
    guide = ServiceGuide.objects.get(item=basic)
    assert guide.status == ServiceGuide.Status.DRAFT
    assert response.url == reverse("admin:catalogue_serviceguide_change", args=[guide.pk])
    assert client.get(url).status_code == 405


def test_worklist_denies_citizens(client, citizen, db):
    client.force_login(citizen)
    assert client.get(reverse(WORKLIST)).status_code == 302  # to the admin login


def test_system_admin_adds_a_synonym_group_in_the_admin(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:catalogue_synonymgroup_add"),
        {"terms": "残联, 残疾人联合会", "note": "", "is_active": "on"},
    )
    assert response.status_code == 302
    group = SynonymGroup.objects.get(terms="残联,残疾人联合会")
    assert group.history.count() == 1


def test_a_word_already_in_another_group_is_refused_inline(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:catalogue_synonymgroup_add"),
        {"terms": "社保,社保局", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "以下词已在其他同义词组中：社保" in response.content.decode()
    assert not SynonymGroup.objects.filter(terms__contains="社保局").exists()


def test_department_staff_may_read_but_not_edit_synonyms(client, approver):
    client.force_login(approver)
    assert client.get(reverse("admin:catalogue_synonymgroup_changelist")).status_code == 200
    response = client.post(reverse("admin:catalogue_synonymgroup_add"), {"terms": "甲乙,丙丁"})
    assert response.status_code == 403
    assert not [m for m in get_messages(response.wsgi_request)]
