"""Catalogue reads: scoping, prefetching and version diffs (DOMAIN C5, C8)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.catalogue import rules, selectors
from apps.catalogue.models import ServiceGuide, ServiceItem
from tests.catalogue.factories import (
    BundleFactory,
    BundleStepFactory,
    GuideMaterialFactory,
    PublishedGuideFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
    TopicFactory,
    item_with_published_guide,
)


def test_item_scope_for_staff_is_their_departments(window_staff, other_dept_staff, department):
    mine = ServiceItemFactory(competent_department=department)
    other = ServiceItemFactory()
    qs = ServiceItem.objects.all()
    assert list(selectors.item_scope_for_user(qs, window_staff)) == [mine]
    assert mine not in selectors.item_scope_for_user(qs, other_dept_staff)
    assert other not in selectors.item_scope_for_user(qs, window_staff)


def test_item_scope_unrestricted_for_supervisor_empty_for_citizen(supervisor, citizen, db):
    ServiceItemFactory.create_batch(2)
    qs = ServiceItem.objects.all()
    assert selectors.item_scope_for_user(qs, supervisor).count() == 2
    assert selectors.item_scope_for_user(qs, citizen).count() == 0


def test_item_manageable_by_department_manager(approver, system_admin, department):
    mine = ServiceItemFactory(implementing_department=department)
    ServiceItemFactory()
    qs = ServiceItem.objects.all()
    assert list(selectors.item_manageable_by(qs, approver)) == [mine]
    assert selectors.item_manageable_by(qs, system_admin).count() == 2


def test_c5_item_list_only_published_and_active(department):
    shown = item_with_published_guide(competent_department=department)
    inactive = item_with_published_guide(is_active=False)
    draft = ServiceItemFactory()
    ServiceGuideFactory(item=draft)
    codes = [i.code for i in selectors.item_list()]
    assert shown.code in codes
    assert inactive.code not in codes
    assert draft.code not in codes
    assert selectors.published_guide_of(selectors.item_list().get(pk=shown.pk)).version == 1


def test_item_list_topic_filter_does_not_duplicate(department):
    a, b = TopicFactory(code="a"), TopicFactory(code="b")
    item = item_with_published_guide(topics=[a, b])
    assert list(selectors.item_list(topic="a")) == [item]


def test_item_get_with_published_guide_fixed_queries(db):
    def queries(n: int) -> int:
        item = ServiceItemFactory()
        guide = PublishedGuideFactory(item=item, materials=0)
        for i in range(n):
            GuideMaterialFactory(guide=guide, name=f"材料{i}")
        with CaptureQueriesContext(connection) as ctx:
            got = selectors.item_get_with_published_guide(item.code)
            guide = selectors.published_guide_of(got)
            assert len(list(guide.materials.all())) == n
            list(guide.steps.all())
            list(guide.special_procedures.all())
            list(got.topics.all())
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)


def test_item_get_unknown_raises_404(db):
    with pytest.raises(Http404):
        selectors.item_get_with_published_guide("NOPE")


def test_c8_bundle_list_computes_limits_without_extra_queries(department):
    for n in range(3):
        bundle = BundleFactory(lead_department=department, status="published")
        BundleStepFactory(bundle=bundle, item=item_with_published_guide(promised=n + 1))
    with CaptureQueriesContext(connection) as ctx:
        bundles = list(selectors.bundle_list())
    before = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        limits = [rules.bundle_computed_limit(b) for b in bundles]
    assert limits == [1, 2, 3]
    assert len(ctx.captured_queries) == 0
    assert before <= 6


def test_departments_with_item_counts(department, other_department):
    item_with_published_guide(competent_department=department)
    item_with_published_guide(competent_department=department)
    draft_only = ServiceItemFactory(competent_department=other_department)
    ServiceGuideFactory(item=draft_only)
    counts = {d.code: d.item_count for d in selectors.department_list_with_item_counts()}
    assert counts["SCJGJ"] == 2
    assert counts["GAJ"] == 0


def test_topic_list_by_kind(db):
    TopicFactory(code="birth", kind="life_event")
    TopicFactory(code="tax", kind="theme")
    assert [t.code for t in selectors.topic_list(kind="life_event")] == ["birth"]


def test_guide_diff_names_changed_fields_materials_and_steps(db):
    item = ServiceItemFactory()
    old = PublishedGuideFactory(item=item, materials=0, steps=0, promised_time_limit_days=5)
    GuideMaterialFactory(guide=old, name="申请书", copies=0)
    GuideMaterialFactory(guide=old, name="营业执照", copies=1)
    old.steps.create(name="受理", order=1)
    new = ServiceGuideFactory(
        item=item, materials=0, steps=0, promised_time_limit_days=3, fee_required=True
    )
    GuideMaterialFactory(guide=new, name="申请书", copies=2)
    GuideMaterialFactory(guide=new, name="场所平面图")
    new.steps.create(name="受理", order=1)
    new.special_procedures.create(kind="hearing", time_limit_days=10)

    changes = selectors.guide_diff(
        selectors.guide_get_with_parts(old.pk), selectors.guide_get_with_parts(new.pk)
    )
    as_tuples = {(c.section, c.label, c.change, c.old, c.new) for c in changes}
    assert ("基本信息", "承诺办结时限（工作日）", "修改", "5", "3") in as_tuples
    assert ("基本信息", "是否收费", "修改", "否", "是") in as_tuples
    assert ("申请材料", "申请书 · 复印件份数", "修改", "0", "2") in as_tuples
    assert ("申请材料", "场所平面图", "新增", "", "场所平面图") in as_tuples
    assert ("申请材料", "营业执照", "删除", "营业执照", "") in as_tuples
    assert ("特别程序", "听证论证", "新增", "", "听证论证") in as_tuples
    assert not any(c.section == "办理流程" for c in changes)
    assert not any(c.label in ("状态", "版本号") for c in changes)


def test_guide_diff_of_identical_versions_is_empty(db):
    guide = PublishedGuideFactory()
    assert selectors.guide_diff(guide, guide) == []
    assert ServiceGuide.objects.count() == 1
