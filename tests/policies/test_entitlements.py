"""免申即享 (DOMAIN PO3): an entitlement with a notice per match; the beneficiary may decline;
the department grants it and records the payment — every edge checked and recorded."""

from __future__ import annotations

import pytest

from apps.common.errors import InvalidTransitionError, PermissionDeniedError
from apps.notifications.models import Notification
from apps.policies.models import Entitlement, EntitlementEvent
from apps.policies.services import (
    NotFoundError,
    entitlement_cancel,
    entitlement_decline,
    entitlement_grant,
    entitlement_mark_paid,
    entitlement_mark_payment_failed,
    policy_match,
)
from apps.policies.workflow import ENTITLEMENT_TRANSITIONS, EntitlementState
from tests.notifications.callbacks import queued_work
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entitlement(company_profile, department):
    policy = PolicyFactory(department=department, amount="20000.00")
    policy_match(policy_id=policy.pk)
    return Entitlement.objects.get(policy=policy)


def test_each_match_gets_an_entitlement_with_a_notice_number_po3(entitlement):
    assert entitlement.state == EntitlementState.NOTIFIED
    assert entitlement.notice_number == f"MS{entitlement.policy.code}-{entitlement.match_id}"
    assert str(entitlement.amount) == "20000.00"


def test_application_policies_get_no_entitlement(company_profile, claim_item):
    policy = PolicyFactory(fulfilment="application", service_item=claim_item)
    report = policy_match(policy_id=policy.pk)
    assert (report.matched, report.pushes_queued, report.entitlements) == (1, 1, 0)
    assert not Entitlement.objects.filter(policy=policy).exists()


def test_the_company_agent_declines_po3(entitlement, company_agent):
    entitlement_decline(actor=company_agent, entitlement_id=entitlement.pk, reason="已享受同类政策")
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.DECLINED and entitlement.decided_at
    event = EntitlementEvent.objects.get(entitlement=entitlement)
    assert (event.from_state, event.to_state, event.actor, event.reason) == (
        "notified",
        "declined",
        company_agent,
        "已享受同类政策",
    )
    assert entitlement.history.first().history_user == company_agent


def test_someone_else_cannot_decline_and_learns_nothing(entitlement, other_citizen):
    with pytest.raises(NotFoundError):
        entitlement_decline(actor=other_citizen, entitlement_id=entitlement.pk)
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.NOTIFIED


def test_a_granted_entitlement_can_no_longer_be_declined(entitlement, approver, company_agent):
    entitlement_grant(actor=approver, entitlement_id=entitlement.pk)
    with pytest.raises(InvalidTransitionError, match="已认定"):
        entitlement_decline(actor=company_agent, entitlement_id=entitlement.pk)


def test_grant_tells_the_beneficiary_after_commit(
    entitlement, approver, company_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        entitlement_grant(actor=approver, entitlement_id=entitlement.pk, note="已公示无异议")
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.GRANTED
    inbox = Notification.objects.get(recipient=company_agent, channel="inbox")
    assert (
        "已认定" in inbox.title
        and inbox.link == f"/policies/mine/entitlements/{entitlement.pk}/notice/"
    )
    assert len(queued_work(callbacks)) == 1  # the SMS delivery, queued only once the grant commits


def test_other_department_staff_may_not_grant(entitlement, other_dept_staff, window_staff):
    for actor in (other_dept_staff, window_staff):
        with pytest.raises(PermissionDeniedError):
            entitlement_grant(actor=actor, entitlement_id=entitlement.pk)
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.NOTIFIED


def test_payment_needs_its_voucher_number_and_failed_payments_are_retried(entitlement, approver):
    entitlement_grant(actor=approver, entitlement_id=entitlement.pk)
    with pytest.raises(Exception, match="兑付凭证号"):
        entitlement_mark_paid(actor=approver, entitlement_id=entitlement.pk, payment_reference=" ")
    entitlement_mark_payment_failed(
        actor=approver, entitlement_id=entitlement.pk, reason="账户已销户"
    )
    entitlement_mark_paid(
        actor=approver, entitlement_id=entitlement.pk, payment_reference="GK2026-0001"
    )
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.PAID and entitlement.paid_at
    assert list(entitlement.events.values_list("to_state", flat=True)) == [
        "granted",
        "payment_failed",
        "paid",
    ]
    with pytest.raises(InvalidTransitionError):
        entitlement_cancel(actor=approver, entitlement_id=entitlement.pk, reason="错误")


def test_no_grant_while_the_policy_is_suspended_po5(entitlement, approver):
    entitlement.policy.state = "suspended"
    entitlement.policy.save()
    with pytest.raises(Exception, match="暂不能认定"):
        entitlement_grant(actor=approver, entitlement_id=entitlement.pk)


def test_a_lapsed_match_is_not_granted(entitlement, approver, company_profile):
    company_profile.employees = 1
    company_profile.save()
    policy = entitlement.policy
    policy.criteria = [{"attribute": "employees", "operator": "gte", "value": 10}]
    policy.save()
    policy_match(policy_id=policy.pk)
    with pytest.raises(Exception, match="已不符合"):
        entitlement_grant(actor=approver, entitlement_id=entitlement.pk)
    entitlement_cancel(
        actor=approver, entitlement_id=entitlement.pk, reason="企业规模变化，不再符合"
    )
    entitlement.refresh_from_db()
    assert entitlement.state == EntitlementState.CANCELLED


def test_the_transition_table_has_terminal_states():
    for state in (EntitlementState.DECLINED, EntitlementState.PAID, EntitlementState.CANCELLED):
        assert ENTITLEMENT_TRANSITIONS[state] == frozenset()
