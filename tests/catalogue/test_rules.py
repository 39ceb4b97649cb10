"""Catalogue rules as pure functions (DOMAIN C3, C4, C8, C10, C11, C12, P5, A7a)."""

from __future__ import annotations

import pytest

from apps.catalogue import rules
from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ItemType,
    RiskArea,
    ServiceGuide,
    SpecialProcedure,
)
from tests.catalogue.factories import (
    BundleFactory,
    BundleStepFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
    item_with_published_guide,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("其他材料", ["其他材料"]),
        ("申请人认为需要提交的其它材料", ["其它材料"]),
        ("有关材料", ["有关材料"]),
        ("相关材料复印件", ["相关材料"]),
        ("身份证、户口簿等材料", ["等材料"]),
        ("身份证明等", ["等"]),
        ("身份证明等。", ["等"]),
        ("营业执照……等 ", ["等"]),
        ("营业执照以及其他证明", ["以及其他"]),
        ("包括但不限于身份证", ["包括但不限于"]),
        ("房产证等相关证明", ["等相关"]),
    ],
)
def test_c4_vague_wording_is_found(text, words):
    assert rules.find_vague_wording(text) == words


@pytest.mark.parametrize(
    "text", ["营业执照副本", "居民身份证", "食品经营许可申请书", "法定代表人身份证明", ""]
)
def test_c4_exact_material_names_pass(text):
    assert rules.find_vague_wording(text) == []


def test_c4_message_quotes_the_name_and_the_word():
    [message] = rules.material_problems(name="身份证明等")
    assert "身份证明等" in message
    assert "“等”" in message
    assert "请逐项列明" in message


def test_c4_description_may_end_in_deng_but_not_use_catch_all_phrases():
    assert rules.material_problems(name="营业执照", description="加盖公章、骑缝章等") == []
    [message] = rules.material_problems(name="营业执照", description="包括但不限于副本")
    assert "包括但不限于" in message


def test_c11_tolerable_material_needs_supplement_days():
    problems = rules.material_problems(
        name="场所平面图", importance=GuideMaterial.Importance.TOLERABLE, supplement_days=None
    )
    assert problems == ["可容缺材料“场所平面图”须填写容缺补正期限（工作日）"]
    assert not rules.material_problems(
        name="场所平面图", importance=GuideMaterial.Importance.TOLERABLE, supplement_days=5
    )


def _guide(item=None, **fields) -> ServiceGuide:
    item = item or ServiceItemFactory.build(item_type=ItemType.LICENSING)
    base = {
        "acceptance_conditions": "条件",
        "review_standards": "标准",
        "legal_time_limit_days": 20,
        "promised_time_limit_days": 5,
        "result_name": "许可证",
        "where_to_apply": "窗口",
        "office_hours": "工作日",
        "consultation": "12345",
        "complaint": "12345",
    }
    base.update(fields)
    return ServiceGuide(item=item, version=1, **base)


def _problems(guide, materials=None, steps=None, procedures=()):
    materials = [GuideMaterial(name="营业执照")] if materials is None else materials
    steps = [GuideStep(name="受理")] if steps is None else steps
    return rules.guide_problems(guide, materials=materials, steps=steps, procedures=procedures)


def test_c3_complete_guide_has_no_problems():
    assert _problems(_guide()) == []


def test_c3_every_missing_element_is_named():
    guide = _guide(
        acceptance_conditions="",
        review_standards=" ",
        result_name="",
        where_to_apply="",
        office_hours="",
        consultation="",
        complaint="",
    )
    problems = _problems(guide, materials=[], steps=[])
    for label in [
        "受理条件",
        "审查标准",
        "结果名称",
        "办理地点",
        "办理时间",
        "咨询方式",
        "监督投诉方式",
    ]:
        assert f"须填写{label}" in problems
    assert "申请材料不能为空（仅即办件可无需材料）" in problems
    assert "办理流程至少包含一个环节" in problems


def test_c3_immediate_item_may_have_no_materials():
    guide = _guide(is_immediate=True, legal_time_limit_days=0, promised_time_limit_days=0)
    assert _problems(guide, materials=[]) == []


def test_c4_promised_limit_above_legal_is_refused():
    problems = _problems(_guide(legal_time_limit_days=10, promised_time_limit_days=15))
    assert any("不得超过法定办结时限" in p for p in problems)


def test_c10_fee_needs_standard_and_basis():
    problems = _problems(_guide(fee_required=True, fee_standard="不收费", fee_basis=""))
    assert "收费事项须公布收费标准" in problems
    assert "收费事项须公布收费依据" in problems
    ok = _guide(fee_required=True, fee_standard="每件50元", fee_basis="发改价格〔2020〕1号")
    assert _problems(ok) == []


def test_c11_tolerable_materials_need_days_and_a_tolerance_note():
    materials = [GuideMaterial(name="平面图", importance="tolerable", supplement_days=None)]
    problems = _problems(_guide(), materials=materials)
    assert "可容缺材料“平面图”须填写容缺补正期限（工作日）" in problems
    assert any("容缺受理说明" in p for p in problems)


def test_c12_pledge_requires_text_liability_and_verification_days():
    problems = _problems(_guide(pledge_enabled=True))
    assert len([p for p in problems if "告知承诺" in p]) == 3
    ok = _guide(
        pledge_enabled=True,
        pledge_text="承诺符合条件",
        pledge_liability_text="撤销许可",
        pledge_verification_days=20,
    )
    assert _problems(ok) == []


def test_c12_p5_pledge_never_on_high_risk_item():
    item = ServiceItemFactory.build(risk_area=RiskArea.PUBLIC_SAFETY)
    guide = _guide(
        item,
        pledge_enabled=True,
        pledge_text="承诺",
        pledge_liability_text="责任",
        pledge_verification_days=10,
    )
    [problem] = _problems(guide)
    assert "高风险领域" in problem and "公共安全" in problem


def test_a7a_licensing_legal_limit_above_20_needs_special_procedures():
    guide = _guide(legal_time_limit_days=30)
    assert any("不得超过20个工作日" in p for p in _problems(guide))
    hearing = SpecialProcedure(kind=SpecialProcedure.Kind.HEARING, time_limit_days=10)
    assert _problems(guide, procedures=[hearing]) == []
    longer = _problems(_guide(legal_time_limit_days=31), procedures=[hearing])
    assert any("与特别程序时限之和（30个工作日）" in p for p in longer)
    assert not any("A7a" in p for p in longer)  # people read the rule, not its id


def test_a7a_other_item_types_are_not_capped():
    item = ServiceItemFactory.build(item_type=ItemType.CONFIRMATION)
    assert _problems(_guide(item, legal_time_limit_days=60)) == []


@pytest.mark.django_db
def test_c8_bundle_limit_serial_sum_parallel_max(department):
    bundle = BundleFactory(lead_department=department)
    a = item_with_published_guide(promised=5)
    b = item_with_published_guide(promised=3)
    c = item_with_published_guide(promised=4)
    BundleStepFactory(bundle=bundle, item=a, stage=1)
    BundleStepFactory(bundle=bundle, item=b, stage=1)  # parallel with a: max 5
    BundleStepFactory(bundle=bundle, item=c, stage=2)  # serial: + 4
    assert rules.bundle_computed_limit(bundle) == 9
    assert rules.computed_limit([(1, 5), (1, 3), (2, 4)]) == 9


@pytest.mark.django_db
def test_c8_drafts_do_not_count_towards_the_bundle_limit(department):
    bundle = BundleFactory(lead_department=department)
    item = ServiceItemFactory()
    ServiceGuideFactory(item=item, promised_time_limit_days=8)  # a draft
    BundleStepFactory(bundle=bundle, item=item)
    limit = rules.bundle_limit(bundle)
    assert limit.computed_days == 0
    assert limit.items_without_guide == (item.name,)
    assert any("没有已发布的办事指南" in p for p in rules.bundle_problems(bundle))
