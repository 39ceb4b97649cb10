"""申请兑现: one step from "you qualify" to a submitted application (DOMAIN PO4, A3).

The claim goes through the applications services like any other application: a draft
under the linked item's published guide, e-licences attached from the licence library,
materials data sharing supplies left to sharing, then submitted. What sharing supplied is
kept on the claim and shown to the applicant and the department — nothing asked twice.
Only when the guide needs something the applicant alone can give (a material, a form
declaration or answer) does the claim stop at the draft, with everything else filled in.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import Application
from apps.applications.services import (
    application_create_draft,
    application_reuse_material,
    application_submit,
)
from apps.catalogue.models import GuideMaterial
from apps.common.errors import ApplicationError
from apps.policies.models import Fulfilment, PolicyClaim, PolicyMatch
from apps.policies.selectors import owned_subjects_q
from apps.policies.services import _base
from apps.policies.services.profiles import profile_facts
from apps.policies.workflow import PolicyState


def _lock_own_match(actor: User, match_id: int) -> PolicyMatch:
    match = (
        PolicyMatch.objects.select_for_update(of=("self",))
        .select_related("policy", "company", "person")
        .filter(owned_subjects_q(actor), pk=match_id)
        .first()
    )
    if match is None:
        raise _base.NotFoundError(_("未找到该政策匹配记录。"))
    return match


def _check_claimable(match: PolicyMatch) -> None:
    policy, today = match.policy, _base.today()
    if policy.fulfilment != Fulfilment.APPLICATION:
        raise ApplicationError(_("该政策免申即享，无需申请。"), code="no_claim_needed")
    if policy.valid_until < today or policy.state in (PolicyState.EXPIRED, PolicyState.STOPPED):
        raise ApplicationError(
            _("该政策已过有效期或已停止执行，不能再申请。"), code="policy_expired"
        )
    if not policy.is_active_on(today):
        raise ApplicationError(_("该政策当前暂停兑现，暂不能申请。"), code="policy_not_in_force")
    if match.lapsed_at is not None:
        raise ApplicationError(_("根据最新共享数据，您已不符合该政策的条件。"), code="match_lapsed")
    if PolicyClaim.objects.filter(match=match).exists():
        raise ApplicationError(
            _("您已申请过该政策，请在“我的办件”查看进度。"), code="already_claimed"
        )


def _attach_from_sharing(application: Application, actor: User) -> list[GuideMaterial]:
    """E-licences attached from the library (A3); returns what the applicant must still
    upload themselves."""
    missing = []
    for material in application.guide.materials.order_by("order", "id"):
        if material.reuse == GuideMaterial.Reuse.E_LICENCE:
            application_reuse_material(
                application_id=application.pk,
                actor=actor,
                guide_material_id=material.pk,
                e_licence_reference=_("%(type)s（电子证照库调取）")
                % {"type": material.e_licence_type or material.name},
            )
        elif material.reuse == GuideMaterial.Reuse.NONE and material.is_required:
            missing.append(material)
    return missing


def policy_claim(*, actor: User, match_id: int) -> PolicyClaim:
    """Apply for a matched 申请兑现 policy in one step (PO4). A second claim, a claim on an
    expired or suspended policy, or on a match that has lapsed is refused; nothing changes.
    """
    with transaction.atomic():
        match = _lock_own_match(actor, match_id)
        _check_claimable(match)
        company_id = None
        if match.company is not None:
            company_id = (
                actor.companies.filter(credit_code=match.company.credit_code)
                .values_list("pk", flat=True)
                .first()
            )
        item_id = match.policy.service_item_id
        if item_id is None:  # the database refuses it; kept for the type checker
            raise ApplicationError(_("该政策未关联申请事项。"), code="no_service_item")
        application = application_create_draft(actor=actor, item_id=item_id, company_id=company_id)
        still_needed = _attach_from_sharing(application, actor)
        claim = PolicyClaim.objects.create(
            match=match,
            policy=match.policy,
            application=application,
            claimed_by=actor,
            shared_data=profile_facts(match.subject),
        )
        if not still_needed:
            claim.application = _submit_if_complete(application, actor, claim)
    return claim


def _submit_if_complete(application: Application, actor: User, claim: PolicyClaim) -> Application:
    """Submit at once when nothing is left for the applicant; when the guide still wants
    something only they can give (a declaration on its form, an answer, a material), the
    prefilled draft stays for them to finish — the claim itself is made either way."""
    try:
        with transaction.atomic():
            return application_submit(
                application_id=application.pk,
                actor=actor,
                idempotency_key=f"policy-claim-{claim.pk}",
            )
    except ApplicationError:
        return Application.objects.get(pk=application.pk)
