"""一件事 services (DOMAIN C8)."""

from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.catalogue import rules, services
from apps.catalogue.models import Bundle
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import (
    BundleFactory,
    ServiceGuideFactory,
    ServiceItemFactory,
    item_with_published_guide,
)


@pytest.fixture
def items(department, other_department):
    return {
        "licence": item_with_published_guide(promised=5, competent_department=department),
        "seal": item_with_published_guide(promised=1, competent_department=other_department),
        "tax": item_with_published_guide(promised=2, competent_department=other_department),
    }


def _data(department, days: int, code: str = "YJS-QYKB") -> dict:
    return {
        "code": code,
        "name": "企业开办一件事",
        "target": "legal_person",
        "lead_department": department,
        "promised_time_limit_days": days,
    }


def test_c8_serial_stages_add_up(approver, department, items):
    bundle = services.bundle_save(
        actor=approver,
        data=_data(department, 8),
        steps=[(items["licence"], 1), (items["seal"], 2), (items["tax"], 3)],
    )
    assert rules.bundle_computed_limit(bundle) == 8


def test_c8_parallel_steps_take_the_longest(approver, department, items):
    bundle = services.bundle_save(
        actor=approver,
        data=_data(department, 5),
        steps=[(items["licence"], 1), (items["seal"], 1), (items["tax"], 1)],
    )
    assert rules.bundle_computed_limit(bundle) == 5


def test_c8_configured_limit_above_computed_is_refused(approver, department, items):
    with pytest.raises(ApplicationError, match="超过按环节计算的时限") as exc:
        services.bundle_save(
            actor=approver,
            data=_data(department, 6),
            steps=[(items["licence"], 1), (items["seal"], 1)],
        )
    assert "（5个工作日" in exc.value.message
    assert not Bundle.objects.exists()  # nothing half-saved


def test_c8_publish_refuses_items_without_published_guide(approver, department, items):
    draft_only = ServiceItemFactory(competent_department=department)
    ServiceGuideFactory(item=draft_only)
    bundle = services.bundle_save(
        actor=approver, data=_data(department, 3), steps=[(items["licence"], 1), (draft_only, 2)]
    )
    with pytest.raises(ApplicationError) as exc:
        services.bundle_publish(actor=approver, bundle=bundle)
    assert any("没有已发布的办事指南" in p for p in exc.value.extra["problems"])
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.DRAFT


def test_c8_publish_and_withdraw(approver, department, items):
    bundle = services.bundle_save(
        actor=approver, data=_data(department, 4), steps=[(items["licence"], 1)]
    )
    bundle = services.bundle_publish(actor=approver, bundle=bundle)
    assert bundle.status == Bundle.Status.PUBLISHED
    with pytest.raises(InvalidTransitionError):
        services.bundle_publish(actor=approver, bundle=bundle)
    bundle = services.bundle_withdraw(actor=approver, bundle=bundle)
    assert bundle.status == Bundle.Status.WITHDRAWN


def test_c8_published_bundle_cannot_be_edited_over_its_limit(approver, department, items):
    bundle = services.bundle_save(
        actor=approver, data=_data(department, 5), steps=[(items["licence"], 1)]
    )
    services.bundle_publish(actor=approver, bundle=bundle)
    with pytest.raises(ApplicationError):
        services.bundle_save(actor=approver, bundle=bundle, data={"promised_time_limit_days": 9})
    bundle.refresh_from_db()
    assert bundle.promised_time_limit_days == 5


def test_c8_steps_are_replaced(approver, department, items):
    bundle = services.bundle_save(
        actor=approver, data=_data(department, 1), steps=[(items["licence"], 1), (items["seal"], 2)]
    )
    services.bundle_save(actor=approver, bundle=bundle, data={}, steps=[(items["tax"], 1)])
    assert list(bundle.steps.values_list("item__code", flat=True)) == [items["tax"].code]


def test_same_item_twice_is_refused(approver, department, items):
    with pytest.raises(ApplicationError, match="只能出现一次"):
        services.bundle_save(
            actor=approver,
            data=_data(department, 1),
            steps=[(items["licence"], 1), (items["licence"], 2)],
        )


def test_only_the_lead_department_manages_a_bundle(other_department, department, items):
    bundle = BundleFactory(lead_department=department)
    manager = StaffFactory(role=Role.DEPARTMENT_APPROVER, departments=[other_department])
    with pytest.raises(PermissionDeniedError):
        services.bundle_publish(actor=manager, bundle=bundle)
    with pytest.raises(PermissionDeniedError):
        services.bundle_save(actor=manager, data=_data(department, 1, code="YJS-X"))


def test_window_staff_cannot_create_bundles(window_staff, department):
    with pytest.raises(PermissionDeniedError):
        services.bundle_save(actor=window_staff, data=_data(department, 1))
