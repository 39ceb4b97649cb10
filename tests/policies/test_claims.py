"""申请兑现 (DOMAIN PO4, A3): one step from a match to a submitted application through the
applications services; data sharing and e-licences fill in what they can; a second claim,
an expired policy or a lapsed match is refused and nothing changes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.applications.models import Application, ApplicationMaterial
from apps.applications.workflow import State
from apps.common.errors import ApplicationError
from apps.policies.models import PolicyClaim, PolicyMatch
from apps.policies.services import NotFoundError, policy_claim, policy_match
from tests.applications.factories import GuideMaterialFactory
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(company_profile, claim_item):
    policy = PolicyFactory(fulfilment="application", service_item=claim_item, title="稳岗返还")
    policy_match(policy_id=policy.pk)
    return PolicyMatch.objects.get(policy=policy)


def test_one_step_claim_submits_with_shared_data_po4(match, company_agent, company):
    claim = policy_claim(actor=company_agent, match_id=match.pk)
    application = claim.application
    assert application.state == State.SUBMITTED
    assert application.company == company and application.applicant == company_agent
    assert application.item == match.policy.service_item
    # A3: the e-licence is taken from the library; the shared-data material needs nothing.
    [licence] = ApplicationMaterial.objects.filter(application=application)
    assert licence.e_licence_reference.startswith("营业执照")
    assert claim.shared_data["统一社会信用代码"] == company.credit_code
    assert claim.shared_data["从业人数"] == "50"


def test_a_person_claims_with_the_id_number_masked(citizen, person_profile, claim_item):
    policy = PolicyFactory(subject_kind="person", fulfilment="application", service_item=claim_item)
    policy_match(policy_id=policy.pk)
    claim = policy_claim(actor=citizen, match_id=PolicyMatch.objects.get(policy=policy).pk)
    assert claim.application.company is None
    shown = claim.shared_data["身份证号码"]
    assert shown != citizen.id_number and shown.startswith(citizen.id_number[:6])


def test_a_second_claim_is_refused_po4(match, company_agent):
    policy_claim(actor=company_agent, match_id=match.pk)
    with pytest.raises(ApplicationError, match="已申请过") as info:
        policy_claim(actor=company_agent, match_id=match.pk)
    assert info.value.code == "already_claimed"
    assert Application.objects.count() == 1 and PolicyClaim.objects.count() == 1


def test_a_claim_on_an_expired_policy_is_refused(match, company_agent):
    later = timezone.now() + datetime.timedelta(days=400)
    with time_machine.travel(later, tick=False), pytest.raises(ApplicationError, match="有效期"):
        policy_claim(actor=company_agent, match_id=match.pk)
    assert not Application.objects.exists()


def test_a_suspended_policy_takes_no_claims_po5(match, company_agent):
    match.policy.state = "suspended"
    match.policy.save()
    with pytest.raises(ApplicationError, match="暂停兑现"):
        policy_claim(actor=company_agent, match_id=match.pk)


def test_someone_elses_match_is_not_found(match, other_citizen):
    with pytest.raises(NotFoundError):
        policy_claim(actor=other_citizen, match_id=match.pk)


def test_a_lapsed_match_cannot_be_claimed(match, company_agent):
    match.lapsed_at = timezone.now()
    match.save()
    with pytest.raises(ApplicationError, match="不符合"):
        policy_claim(actor=company_agent, match_id=match.pk)


def test_automatic_policies_need_no_claim(company_profile, company_agent):
    policy = PolicyFactory()
    policy_match(policy_id=policy.pk)
    with pytest.raises(ApplicationError, match="无需申请"):
        policy_claim(actor=company_agent, match_id=policy.matches.get().pk)


def test_a_material_only_the_applicant_has_stops_at_a_prefilled_draft(match, company_agent):
    guide = match.policy.service_item.guides.get()
    GuideMaterialFactory(guide=guide, order=3, name="稳岗情况说明", reuse="none")
    claim = policy_claim(actor=company_agent, match_id=match.pk)
    assert claim.application.state == State.DRAFT
    assert claim.application.materials.count() == 1  # the e-licence is already there


def test_a_form_declaration_the_applicant_must_confirm_stops_at_a_prefilled_draft(
    match, company_agent
):
    """Only the applicant can make a declaration: the claim is made, the draft waits (PO4)."""
    guide = match.policy.service_item.guides.get()
    guide.application_form = {
        "title": "稳岗返还申请表",
        "sections": [
            {
                "title": "声明",
                "fields": [
                    {
                        "key": "declaration",
                        "label": "申请人声明",
                        "type": "declaration",
                        "required": True,
                        "text": "本单位承诺所填报的信息真实、准确。",
                    }
                ],
            }
        ],
    }
    guide.save()
    claim = policy_claim(actor=company_agent, match_id=match.pk)
    assert claim.application.state == State.DRAFT
    assert PolicyClaim.objects.filter(match=match).exists()
