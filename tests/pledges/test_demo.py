"""The pledge route's demo: cases in every state, one restricted company (issue #11)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.accounts.models import User
from apps.applications.workflow import State
from apps.catalogue.models import ServiceGuide
from apps.pledges import selectors
from apps.pledges.models import CreditRecord, Pledge, VerificationTask
from apps.pledges.workflow import VerificationState


def test_demo_has_pledged_cases_in_every_state_and_a_restricted_company(db):
    call_command("seed_demo", stdout=StringIO())
    states = set(VerificationTask.objects.values_list("state", flat=True))
    assert {
        VerificationState.PENDING,
        VerificationState.RECTIFYING,
        VerificationState.COMPLIANT,
        VerificationState.REVOKED,
    } <= states
    application_states = set(Pledge.objects.values_list("application__state", flat=True))
    assert {State.DRAFT, State.SUBMITTED, State.APPROVED, State.REJECTED} <= application_states
    # P3, P6: the revoked decision's case says so (许可决定已撤销), not 准予许可/办结.
    revoked = VerificationTask.objects.get(state=VerificationState.REVOKED)
    assert revoked.application.state == State.DECISION_REVOKED
    restricted = CreditRecord.objects.filter(subject_name="榕城远航旅游有限公司", status="active")
    assert restricted.count() == 2
    agent = User.objects.get(full_name="钱经办")
    guide = ServiceGuide.objects.get(item__code="350100-WLJ-XK-0001", status="published")
    offer = selectors.pledge_route_for(guide=guide, user=agent)
    assert offer.offered and offer.restricted == ("榕城远航旅游有限公司",)
    # Idempotent: a second run changes nothing.
    call_command("seed_demo", stdout=StringIO())
    assert Pledge.objects.count() == 7
