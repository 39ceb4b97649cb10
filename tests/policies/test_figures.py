"""Supervisor figures by policy and department: matched, pushed, delivered, claimed, declined,
granted, paid — read from the records, for the supervisors' dashboard (issue #12)."""

from __future__ import annotations

import pytest

from apps.applications.services import (
    application_accept,
    application_approve,
    application_revoke_decision,
)
from apps.policies.models import Entitlement, PolicyMatch
from apps.policies.selectors import figures_summary
from apps.policies.services import (
    entitlement_decline,
    entitlement_grant,
    entitlement_mark_paid,
    policy_claim,
    policy_match,
    policy_push_send_batch,
)
from tests.policies.factories import CompanyProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def test_figures_follow_the_records(
    department, approver, supervisor, company_agent, company_profile, claim_item, window_staff
):
    CompanyProfileFactory.create_batch(2)  # matched, but no account: not pushed
    automatic = PolicyFactory(department=department)
    policy_match(policy_id=automatic.pk)
    policy_push_send_batch(policy_id=automatic.pk)
    entitlements = list(Entitlement.objects.filter(policy=automatic).order_by("pk"))
    own = next(e for e in entitlements if e.match.company_id == company_profile.pk)
    others = [e for e in entitlements if e != own]
    entitlement_grant(actor=approver, entitlement_id=others[0].pk)
    entitlement_mark_paid(actor=approver, entitlement_id=others[0].pk, payment_reference="GK-1")
    entitlement_decline(actor=company_agent, entitlement_id=own.pk)

    applied = PolicyFactory(
        department=department, fulfilment="application", service_item=claim_item
    )
    policy_match(policy_id=applied.pk)
    claim = policy_claim(
        actor=company_agent,
        match_id=PolicyMatch.objects.get(policy=applied, company=company_profile).pk,
    )
    application_accept(application_id=claim.application.pk, actor=window_staff)
    application_approve(application_id=claim.application.pk, actor=approver)

    summary = figures_summary(user=supervisor)
    rows = {row["id"]: row for row in summary["policies"]}
    assert {k: rows[automatic.pk][k] for k in summary["figures"]} == {
        "matched": 3,
        "pushed": 1,
        "delivered": 1,
        "claimed": 0,
        "declined": 1,
        "granted": 1,
        "paid": 1,
    }
    assert {k: rows[applied.pk][k] for k in ("matched", "claimed", "granted")} == {
        "matched": 3,
        "claimed": 1,
        "granted": 1,
    }
    [dept] = summary["departments"]
    assert (dept["policies"], dept["matched"], dept["granted"]) == (2, 6, 2)
    assert summary["totals"]["claimed"] == 1


def test_staff_see_their_departments_figures_only(department, other_dept_staff, approver):
    PolicyFactory(department=department)
    assert figures_summary(user=approver)["totals"]["matched"] == 0
    assert len(figures_summary(user=approver)["policies"]) == 1
    assert figures_summary(user=other_dept_staff)["policies"] == []


def test_a_claim_whose_approval_is_revoked_is_not_counted_as_granted_P3_P6(
    department, approver, supervisor, company_agent, company_profile, claim_item, window_staff
):
    """The figures count approved claims; a decision revoked afterwards is not one."""
    applied = PolicyFactory(
        department=department, fulfilment="application", service_item=claim_item
    )
    policy_match(policy_id=applied.pk)
    claim = policy_claim(
        actor=company_agent,
        match_id=PolicyMatch.objects.get(policy=applied, company=company_profile).pk,
    )
    application_accept(application_id=claim.application.pk, actor=window_staff)
    application_approve(application_id=claim.application.pk, actor=approver)

    def granted() -> int:
        rows = {row["id"]: row for row in figures_summary(user=supervisor)["policies"]}
        return rows[applied.pk]["granted"]

    assert granted() == 1
    application_revoke_decision(
        application_id=claim.application.pk,
        actor=approver,
        reason="申报材料与实际不符",
        document_reason="许可决定已撤销：申报材料与实际不符",
    )
    assert granted() == 0
