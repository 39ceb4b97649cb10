"""Guide lifecycle services: draft, edit, publish, supersede (DOMAIN C3–C5, C7, C11, C12, P5)."""

from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.catalogue import services
from apps.catalogue.models import GuideMaterial, RiskArea, ServiceGuide, ServiceItem
from apps.catalogue.selectors import guide_get_published, guide_material_ids
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import (
    GuideMaterialFactory,
    PublishedGuideFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
)
from tests.support.races import race


@pytest.fixture
def item(department):
    return ServiceItemFactory(competent_department=department, name="食品经营许可")


# --- permissions -------------------------------------------------------------------------


def test_department_manager_may_act_on_own_items(approver, item):
    guide = services.guide_create_draft(actor=approver, item=item)
    assert guide.version == 1


@pytest.mark.parametrize("persona", ["other_dept_staff", "window_staff", "citizen", "supervisor"])
def test_others_may_not_change_the_catalogue(request, persona, item):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDeniedError):
        services.guide_create_draft(actor=user, item=item)


def test_manager_of_another_department_is_refused(other_department, item):
    manager = StaffFactory(role=Role.DEPARTMENT_APPROVER, departments=[other_department])
    with pytest.raises(PermissionDeniedError):
        services.item_update(actor=manager, item=item, data={"name": "改名"})
    item.refresh_from_db()
    assert item.name == "食品经营许可"


def test_system_admin_may_act_on_any_item(system_admin, item):
    services.item_update(actor=system_admin, item=item, data={"keywords": "开饭店"})


# --- items -------------------------------------------------------------------------------


def test_item_create_fills_search_fields(approver, department):
    item = services.item_create(
        actor=approver,
        code="350100-SCJGJ-XK-0099",
        name="食品经营许可",
        item_type="licensing",
        target="legal_person",
        competent_department=department,
        implementing_department=department,
        legal_basis="《食品安全法》第三十五条",
        keywords="开饭店",
    )
    assert item.search_text.startswith("食品经营许可")
    assert "spjyxk" in item.pinyin_initials


def test_item_update_recomputes_search_fields(approver, item):
    item = services.item_update(actor=approver, item=item, data={"keywords": "开饭店,餐饮"})
    assert "开饭店" in item.search_text
    assert "kfd" in item.pinyin_initials


def test_item_create_refuses_bad_choice_in_chinese(approver, department):
    with pytest.raises(ApplicationError) as exc:
        services.item_create(
            actor=approver,
            code="X-1",
            name="事项",
            item_type="nonsense",
            target="legal_person",
            competent_department=department,
            implementing_department=department,
            legal_basis="依据",
        )
    assert "item_type" in exc.value.message
    assert not ServiceItem.objects.filter(code="X-1").exists()


def test_c12_item_cannot_become_high_risk_while_pledge_is_published(approver, item):
    PublishedGuideFactory(
        item=item,
        pledge_enabled=True,
        pledge_text="承诺",
        pledge_liability_text="责任",
        pledge_verification_days=10,
    )
    with pytest.raises(ApplicationError, match="告知承诺"):
        services.item_update(actor=approver, item=item, data={"risk_area": RiskArea.PUBLIC_SAFETY})
    item.refresh_from_db()
    assert item.risk_area == ""


# --- drafts ------------------------------------------------------------------------------


def test_c5_draft_copies_the_published_guide_with_its_parts(approver, item):
    v1 = PublishedGuideFactory(item=item, materials=3, steps=2)
    v1.special_procedures.create(kind="site_inspection", time_limit_days=5)
    draft = services.guide_create_draft(actor=approver, item=item, change_note="调整材料")
    assert draft.version == 2
    assert draft.status == ServiceGuide.Status.DRAFT
    assert draft.acceptance_conditions == v1.acceptance_conditions
    assert [m.name for m in draft.materials.all()] == [m.name for m in v1.materials.all()]
    assert draft.steps.count() == 2
    assert draft.special_procedures.get().time_limit_days == 5
    assert v1.materials.count() == 3  # the published version is untouched


def test_first_draft_of_a_licensing_item_defaults_to_20_days(approver, item):
    draft = services.guide_create_draft(actor=approver, item=item)
    assert draft.legal_time_limit_days == 20
    assert draft.materials.count() == 0


def test_only_one_draft_at_a_time(approver, item):
    services.guide_create_draft(actor=approver, item=item)
    with pytest.raises(ApplicationError, match="已有草稿"):
        services.guide_create_draft(actor=approver, item=item)


def test_c5_published_guide_cannot_be_edited(approver, item):
    v1 = PublishedGuideFactory(item=item)
    with pytest.raises(InvalidTransitionError, match="新建修订版"):
        services.guide_update(actor=approver, guide=v1, data={"result_name": "改"})
    with pytest.raises(InvalidTransitionError):
        services.material_add(actor=approver, guide=v1, name="新增材料")


def test_guide_update_changes_a_draft(approver, item):
    draft = ServiceGuideFactory(item=item)
    draft = services.guide_update(actor=approver, guide=draft, data={"promised_time_limit_days": 3})
    assert draft.promised_time_limit_days == 3


def test_c4_guide_update_refuses_promised_above_legal(approver, item):
    draft = ServiceGuideFactory(item=item)
    with pytest.raises(ApplicationError, match="不得超过法定办结时限"):
        services.guide_update(actor=approver, guide=draft, data={"promised_time_limit_days": 25})


def test_c12_p5_high_risk_item_cannot_enable_pledge(approver, department):
    item = ServiceItemFactory(competent_department=department, risk_area=RiskArea.HEALTH_LIFE)
    draft = ServiceGuideFactory(item=item)
    with pytest.raises(ApplicationError, match="高风险领域"):
        services.guide_update(
            actor=approver,
            guide=draft,
            data={
                "pledge_enabled": True,
                "pledge_text": "承诺",
                "pledge_liability_text": "责任",
                "pledge_verification_days": 10,
            },
        )
    draft.refresh_from_db()
    assert draft.pledge_enabled is False


def test_c12_p5_high_risk_pledge_blocks_publication(approver, department):
    item = ServiceItemFactory(competent_department=department, risk_area=RiskArea.ECOLOGICAL)
    draft = ServiceGuideFactory(
        item=item,
        pledge_enabled=True,
        pledge_text="承诺",
        pledge_liability_text="责任",
        pledge_verification_days=10,
    )
    with pytest.raises(ApplicationError) as exc:
        services.guide_publish(actor=approver, guide=draft)
    assert any("不得适用告知承诺制" in p for p in exc.value.extra["problems"])


# --- materials ---------------------------------------------------------------------------


def test_c4_material_with_catch_all_wording_is_refused_at_save(approver, item):
    draft = ServiceGuideFactory(item=item, materials=0)
    with pytest.raises(ApplicationError) as exc:
        services.material_add(actor=approver, guide=draft, name="其他材料")
    assert "“其他材料”" in exc.value.message
    assert draft.materials.count() == 0


def test_c4_material_update_refuses_trailing_deng(approver, item):
    draft = ServiceGuideFactory(item=item, materials=0)
    material = services.material_add(actor=approver, guide=draft, name="身份证明")
    with pytest.raises(ApplicationError, match="兜底表述“等”"):
        services.material_update(actor=approver, material=material, data={"name": "身份证明等"})
    material.refresh_from_db()
    assert material.name == "身份证明"


def test_c11_tolerable_material_without_supplement_days_is_refused(approver, item):
    draft = ServiceGuideFactory(item=item, materials=0)
    with pytest.raises(ApplicationError, match="容缺补正期限"):
        services.material_add(actor=approver, guide=draft, name="平面图", importance="tolerable")


def test_material_add_numbers_materials_in_order(approver, item):
    draft = ServiceGuideFactory(item=item, materials=0)
    first = services.material_add(actor=approver, guide=draft, name="申请书")
    second = services.material_add(actor=approver, guide=draft, name="营业执照")
    assert (first.order, second.order) == (1, 2)


# --- publish -----------------------------------------------------------------------------


def test_c4_draft_with_other_materials_cannot_be_published(approver, item):
    """C4: a draft that names 其他材料 (e.g. written straight to the table) is refused at
    publication and the message quotes the words."""
    draft = ServiceGuideFactory(item=item)
    GuideMaterialFactory(guide=draft, name="其他材料")
    with pytest.raises(ApplicationError) as exc:
        services.guide_publish(actor=approver, guide=draft)
    assert "材料名称“其他材料”含有兜底表述“其他材料”，请逐项列明" in exc.value.extra["problems"]
    draft.refresh_from_db()
    assert draft.status == ServiceGuide.Status.DRAFT


def test_c3_publish_reports_every_problem_at_once(approver, item):
    draft = ServiceGuideFactory(
        item=item, materials=0, steps=0, consultation="", fee_required=True, fee_basis=""
    )
    with pytest.raises(ApplicationError) as exc:
        services.guide_publish(actor=approver, guide=draft)
    problems = exc.value.extra["problems"]
    assert "须填写咨询方式" in problems
    assert "收费事项须公布收费依据" in problems
    assert "办理流程至少包含一个环节" in problems
    assert len(problems) >= 4


def test_c5_publishing_v2_supersedes_v1_which_stays_readable(approver, item):
    v1 = PublishedGuideFactory(item=item, result_name="旧证")
    v2 = services.guide_create_draft(actor=approver, item=item)
    services.guide_update(actor=approver, guide=v2, data={"result_name": "新证"})
    published = services.guide_publish(actor=approver, guide=v2)

    v1.refresh_from_db()
    assert v1.status == ServiceGuide.Status.SUPERSEDED
    assert v1.result_name == "旧证"
    assert v1.materials.count() == 1
    assert published.status == ServiceGuide.Status.PUBLISHED
    assert published.published_by == approver
    assert published.published_at is not None
    assert guide_get_published(item) == v2


def test_c5_only_drafts_can_be_published(approver, item):
    v1 = PublishedGuideFactory(item=item)
    with pytest.raises(InvalidTransitionError):
        services.guide_publish(actor=approver, guide=v1)


def test_c5_an_older_draft_cannot_replace_a_newer_published_version(approver, item):
    old_draft = ServiceGuideFactory(item=item, version=1)
    PublishedGuideFactory(item=item, version=2)
    with pytest.raises(InvalidTransitionError, match="更早"):
        services.guide_publish(actor=approver, guide=old_draft)


def test_publish_keeps_history_rows(approver, item):
    draft = ServiceGuideFactory(item=item)
    services.guide_publish(actor=approver, guide=draft)
    assert draft.history.filter(status=ServiceGuide.Status.PUBLISHED).exists()


@pytest.mark.django_db(transaction=True)
def test_c5_two_concurrent_publishes_leave_exactly_one_published_guide(department, system_admin):
    """C5 under concurrency: the item row lock serialises publishes, so the
    one_published_guide_per_item constraint is never hit and exactly one guide wins."""
    item = ServiceItemFactory(competent_department=department)
    PublishedGuideFactory(item=item, version=1)
    drafts = [ServiceGuideFactory(item=item, version=2), ServiceGuideFactory(item=item, version=3)]

    results = race(
        *(lambda g=g: services.guide_publish(actor=system_admin, guide=g) for g in drafts)
    )

    # The older draft may lose with a transition error; an IntegrityError would be a bug.
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, InvalidTransitionError) for e in errors), errors
    published = ServiceGuide.objects.filter(item=item, status=ServiceGuide.Status.PUBLISHED)
    assert published.count() == 1
    assert published.get().version == 3


# --- C5/C7 helpers for the applications app -----------------------------------------------


def test_c5_guide_get_published_ignores_drafts_and_superseded(item):
    assert guide_get_published(item) is None
    ServiceGuideFactory(item=item)
    assert guide_get_published(item) is None
    v = PublishedGuideFactory(item=item)
    assert guide_get_published(item) == v


def test_c5_assert_guide_is_published(item):
    draft = ServiceGuideFactory(item=item)
    with pytest.raises(ApplicationError, match="不能据此申请"):
        services.assert_guide_is_published(draft)


def test_c7_staff_cannot_name_a_material_the_guide_lacks(item):
    guide = PublishedGuideFactory(item=item, materials=2)
    other = PublishedGuideFactory(materials=1)
    ids = guide_material_ids(guide)
    assert ids == set(guide.materials.values_list("pk", flat=True))
    services.assert_materials_from_guide(guide, ids)
    foreign = other.materials.get().pk
    with pytest.raises(ApplicationError) as exc:
        services.assert_materials_from_guide(guide, [*ids, foreign])
    assert exc.value.code == "material_not_in_guide"
    assert exc.value.extra["material_ids"] == [foreign]


def test_material_delete_only_on_drafts(approver, item):
    draft = ServiceGuideFactory(item=item, materials=2)
    services.material_delete(actor=approver, material=draft.materials.first())
    assert GuideMaterial.objects.filter(guide=draft).count() == 1
