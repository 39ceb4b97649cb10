"""The demo policies that `make run` loads: real services, idempotent, something for every
demo login (issue #14). One test: seeding the whole demo takes most of a minute."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.policies.models import (
    CompanyProfile,
    Entitlement,
    PersonProfile,
    Policy,
    PolicyHaltRequest,
)
from apps.policies.selectors import my_policies, subjects_for

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        CompanyProfile.objects.count(),
        PersonProfile.objects.count(),
        Policy.objects.count(),
        Entitlement.objects.count(),
        Notification.objects.count(),
    )


def test_demo_policies_give_every_role_something_to_do_and_reseeding_changes_nothing():
    call_command("seed_demo", stdout=StringIO())

    assert CompanyProfile.objects.count() >= 1500 and PersonProfile.objects.count() >= 2500
    published = Policy.objects.filter(state="published")
    assert published.count() >= 12
    assert {p.policy_class for p in published} == {
        "enterprise",
        "livelihood",
        "talent",
        "investment",
        "finance",
        "employment",
    }
    assert {p.fulfilment for p in published} == {"automatic", "application"}

    agent = User.objects.get(username="demo_agent")
    [company] = [s for s in subjects_for(agent) if s.key.startswith("company")]
    rows = {r.policy.title: r for r in my_policies(user=agent, subject=company)}
    assert rows["科技型中小企业研发费用补助"].entitlement.state == "paid"
    assert rows["高新技术企业认定奖励"].entitlement.state == "notified"
    assert rows["失业保险稳岗返还"].claim is None  # 申请兑现: one click away
    assert Notification.objects.filter(recipient=agent, category="policy").exists()

    citizen = User.objects.get(username="demo_citizen")
    [person] = subjects_for(citizen)
    titles = {r.policy.title for r in my_policies(user=citizen, subject=person)}
    assert {"青年人才租房补贴", "职业技能提升补贴"} <= titles

    # The department approver has a draft to publish; the supervisor a halt to decide (PO5).
    assert Policy.objects.filter(state="draft", department__code="SCJGJ").count() == 1
    assert PolicyHaltRequest.objects.filter(state="pending").count() == 1

    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
